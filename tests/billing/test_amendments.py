"""Amendments (avenants) change a convention's prices from a date: billing prices each day
of work at the terms then in force, and an amendment never reaches under an issued invoice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from polesocial.billing import services
from polesocial.billing.models import Invoice
from polesocial.organisations import services as organisations
from polesocial.organisations.models import Convention, ConventionAmendment
from polesocial.privacy.models import AuditEntry
from tests.billing.helpers import amounts, setting, time

pytestmark = pytest.mark.django_db
D = dt.date


def run(year, quarter):
    drafts = services.invoice_run(actor=None, year=year, quarter=quarter, today=D(year + 1, 1, 1))
    return [
        services.invoice_issue(actor=None, invoice=d, issued_on=D(year, 12, 31)) for d in drafts
    ]


def amend(employer, effective_from, **prices):
    convention = Convention.objects.get(employer=employer)
    return organisations.convention_amend(
        actor=None,
        convention=convention,
        signed_on=D(2026, 6, 15),
        effective_from=effective_from,
        reason="Revalorisation du taux horaire votée par le conseil d'administration",
        **prices,
    )


def test_a_rate_change_by_amendment_mid_year_bills_each_quarter_at_its_own_rate():
    worker, employer = setting(contribution=None, hourly_rate="60.00")
    time(worker, employer, D(2026, 2, 10), 125)
    time(worker, employer, D(2026, 5, 4), 125)
    time(worker, employer, D(2026, 8, 17), 125)
    time(worker, employer, D(2026, 11, 3), 47)
    (q1,) = run(2026, 1)
    (q2,) = run(2026, 2)

    amendment = amend(employer, D(2026, 7, 1), hourly_rate=Decimal("61.37"))
    (q3,) = run(2026, 3)
    (q4,) = run(2026, 4)

    assert amendment.number == 1
    assert amounts(q1) == [("work", Decimal("125.00"))]
    assert amounts(q2) == [("work", Decimal("125.00"))]
    assert amounts(q3) == [("work", Decimal("127.85"))]  # 125 min × 61.37 / 60 = 127.854…
    assert amounts(q4) == [("work", Decimal("48.07"))]  # 47 min × 61.37 / 60 = 48.073…
    assert q3.lines.get().unit_price == Decimal("61.37")
    assert AuditEntry.objects.filter(action="convention.amend").count() == 1


def test_an_amendment_within_a_quarter_splits_its_lines_by_price():
    worker, employer = setting(contribution=None, hourly_rate="60.00")
    time(worker, employer, D(2026, 7, 10), 60)
    time(worker, employer, D(2026, 8, 20), 90)
    amend(employer, D(2026, 8, 15), hourly_rate=Decimal("61.37"))

    (q3,) = run(2026, 3)

    lines = list(q3.lines.order_by("position"))
    assert [(line.unit_price, line.amount) for line in lines] == [
        (Decimal("60.00"), Decimal("60.00")),
        (Decimal("61.37"), Decimal("92.06")),  # 1.5 h × 61.37 = 92.055, half-up
    ]
    assert "avenant n° 1 (à compter du 15/08/2026)" in lines[1].label
    assert q3.total == Decimal("152.06")


def test_a_fte_share_amendment_changes_the_flat_share_from_its_quarter():
    worker, employer = setting(
        contribution=None, billing_mode="fte_share", hourly_rate=None, fte_yearly_amount="12000.00"
    )
    (q1,) = run(2026, 1)
    amend(employer, D(2026, 4, 1), fte_yearly_amount=Decimal("14000.00"))
    (q2,) = run(2026, 2)

    assert amounts(q1) == [("fte_share", Decimal("3000.00"))]
    assert amounts(q2) == [("fte_share", Decimal("3500.00"))]


def test_an_amendment_cannot_take_effect_under_an_issued_invoice():
    worker, employer = setting(contribution=None, hourly_rate="60.00")
    time(worker, employer, D(2026, 5, 4), 60)
    run(2026, 2)

    with pytest.raises(ValidationError) as refused:
        amend(employer, D(2026, 6, 1), hourly_rate=Decimal("61.37"))

    assert "déjà facturée" in " ".join(refused.value.messages)
    assert "à compter du 01/07/2026" in " ".join(refused.value.messages)
    assert not Convention.objects.get(employer=employer).amendments.exists()


def test_an_amendment_outside_the_convention_is_refused_in_french():
    worker, employer = setting(contribution=None, hourly_rate="60.00", tacit_renewal=False)

    with pytest.raises(ValidationError) as before:
        amend(employer, D(2025, 12, 1), hourly_rate=Decimal("61.37"))
    with pytest.raises(ValidationError) as after:
        amend(employer, D(2027, 1, 1), hourly_rate=Decimal("61.37"))
    with pytest.raises(ValidationError) as no_price:
        amend(employer, D(2026, 7, 1))

    assert "en dehors de la convention (du 01/01/2026 au 31/12/2026)" in before.value.messages[0]
    assert "en dehors de la convention" in after.value.messages[0]
    assert no_price.value.messages == ["Indiquez au moins un nouveau tarif."]


def test_a_draft_priced_at_the_former_rate_is_withdrawn_and_rebuilt_at_the_new_one():
    worker, employer = setting(contribution=None, hourly_rate="60.00")
    time(worker, employer, D(2026, 8, 17), 60)
    (draft,) = services.invoice_run(actor=None, year=2026, quarter=3, today=D(2027, 1, 1))
    assert amounts(draft) == [("work", Decimal("60.00"))]

    amendment = amend(employer, D(2026, 7, 1), hourly_rate=Decimal("61.37"))
    (q3,) = run(2026, 3)

    assert amendment.withdrawn_drafts == 1
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert amounts(q3) == [("work", Decimal("61.37"))]


def test_the_demo_s_amendment_bills_its_third_quarter_at_the_new_rate():
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", stdout=StringIO())
    amendment = ConventionAmendment.objects.get()
    issued = Invoice.objects.issued().filter(employer=amendment.convention.employer_id)
    q2 = issued.get(period_end__month=6)
    q3 = issued.get(period_end__month=9)

    assert set(q2.lines.filter(kind="work").values_list("unit_price", flat=True)) == {
        Decimal("60.00")
    }
    assert set(q3.lines.filter(kind="work").values_list("unit_price", flat=True)) == {
        Decimal("61.37")
    }
