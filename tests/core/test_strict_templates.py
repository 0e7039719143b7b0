"""The suite's strict templates: a variable missing from one of our pages fails the test."""

import pytest
from django.template.loader import render_to_string

from tests import strict_templates
from tests.strict_templates import UnknownTemplateVariable


def line(**fields):
    return {"employer": None, "share": "0.5", "planned": 10, "recorded_hours": 8} | fields


def test_a_value_missing_from_one_of_our_templates_fails_naming_it():
    plan = [{key: value for key, value in line().items() if key != "recorded_hours"}]
    with pytest.raises(UnknownTemplateVariable) as error:
        render_to_string("billing/includes/plan_table.html", {"plan": plan, "caption": "x"})
    assert "line.recorded_hours in billing/templates/billing/includes/plan_table.html" in str(
        error.value
    )
    strict_templates.seen.clear()  # expected here: do not fail the test afterwards


def test_an_optional_value_said_so_with_if_renders_as_in_production():
    html = render_to_string("billing/includes/plan_table.html", {"plan": [line()], "caption": "x"})
    assert "Gestion de la fonction" in html
    assert "None" not in html


def test_third_party_templates_stay_lenient():
    html = render_to_string("dsfr/badge.html", {})
    assert '<p class="fr-badge">' in html
    assert strict_templates.seen == []
