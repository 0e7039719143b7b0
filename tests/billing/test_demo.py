"""The billing demo: time for every demo record, a billed year, idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from polesocial.billing import demo
from polesocial.billing.models import Invoice, TimeEntry
from polesocial.casework.models import Interview

pytestmark = pytest.mark.django_db


def test_the_demo_bills_the_past_quarters_once():
    call_command("demo", stdout=StringIO())
    reference = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)
    demo.load(reference)
    counts = (TimeEntry.objects.count(), Invoice.objects.count())
    demo.load(reference)
    assert (TimeEntry.objects.count(), Invoice.objects.count()) == counts
    assert TimeEntry.objects.filter(source="interview").count() == Interview.objects.count()
    assert TimeEntry.objects.filter(source="collective_action").exists()
    issued = Invoice.objects.issued()
    assert issued.exists() and not Invoice.objects.drafts().exists()
    assert {i.period_end.month for i in issued} <= {3, 6, 9}  # Q4 not ended on 16/11
    assert issued.filter(status="paid").exists()
    numbers = sorted(int(n.split("-")[1]) for n in issued.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
