"""The billing demo: time for every demo record, a billed year, idempotent."""

import datetime as dt
from io import StringIO

import facturx
import pytest
from django.conf import settings
from django.core.management import call_command

from polesocial.billing import demo, outputs
from polesocial.billing.models import Invoice, TimeEntry
from polesocial.casework.models import Interview
from tests.billing.facturx_checks import errors

pytestmark = pytest.mark.django_db


def test_the_demo_bills_the_past_quarters_once():
    call_command("demo", stdout=StringIO())
    reference = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)
    demo.load(reference)
    counts = (TimeEntry.objects.count(), Invoice.objects.count())
    demo.load(reference)
    assert (TimeEntry.objects.count(), Invoice.objects.count()) == counts
    # The demo year's interviews; the case work's two closed years before it get no time.
    year = Interview.objects.filter(occurred_on__gte=reference - dt.timedelta(days=365))
    assert TimeEntry.objects.filter(source="interview").count() == year.count()
    assert year.count() < Interview.objects.count()
    assert TimeEntry.objects.filter(source="collective_action").exists()
    issued = Invoice.objects.issued()
    assert issued.exists() and not Invoice.objects.drafts().exists()
    assert {i.period_end.month for i in issued} <= {3, 6, 9}  # Q4 not ended on 16/11
    assert issued.filter(status="paid").exists()
    numbers = sorted(int(n.split("-")[1]) for n in issued.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_every_demo_invoice_validates_against_the_xsd_and_the_business_rules():
    call_command("demo", stdout=StringIO())
    issued = list(Invoice.objects.issued().select_related("operator", "employer", "cancels"))
    assert len(issued) > 10
    for invoice in issued:
        xml = outputs.facturx_xml(invoice)
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"), invoice.number
        assert errors(xml) == [], invoice.number
        assert invoice.parties["operator"]["siret"] and invoice.due_on
