import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from polesocial.billing.models import Invoice
from tests.billing.helpers import setting, time

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("invoice_run", "--year", "2026", "--quarter", "1", *args, stdout=out)
    return out.getvalue()


def test_dry_run_by_default_then_wet_run():
    worker, employer = setting(contribution=None)
    time(worker, employer, dt.date(2026, 2, 3), 90)
    output = run()
    assert "essai" in output and "90.00 €" in output and employer.name in output
    assert not Invoice.objects.exists()

    output = run("--wet-run")
    assert "1 facture(s) préparée(s), 90.00 € au total." in output
    assert Invoice.objects.get().status == "draft"
    run("--wet-run", "--issue")
    assert Invoice.objects.get().number.endswith("-000001")
