"""The tables that hold data on an employee, found from the models' foreign keys."""

from django.apps import apps
from django.db import models


def models_referring_to_an_employee() -> set[str]:
    """Every model that refers to an employee, directly or through another such model
    (a case, a referral, a plan objective...): a new table joins this set by itself."""
    found = {"casework.Employee"}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            label = model._meta.label
            if label in found:
                continue
            targets = {
                f.related_model._meta.label
                for f in model._meta.get_fields()
                if isinstance(f, models.ForeignKey) and f.concrete
            }
            if targets & found:
                found.add(label)
                grew = True
    return found
