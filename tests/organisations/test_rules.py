import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from polesocial.organisations import rules
from polesocial.organisations.validators import luhn_valid, siret_is_valid, validate_siret
from tests.factories import siret_with_key


def convention(**fields):
    defaults = {
        "status": "active",
        "starts_on": dt.date(2024, 1, 1),
        "ends_on": dt.date(2024, 12, 31),
        "tacit_renewal": True,
        "notice_months": 3,
        "terminated_on": None,
    }
    return SimpleNamespace(**{**defaults, **fields})


class TestSiret:
    @pytest.mark.parametrize("siret", ["21750001600019", "13002526500013"])
    def test_real_public_sirets_are_valid(self, siret):
        # Ville de Paris; a State public body.
        assert siret_is_valid(siret)

    def test_a_wrong_key_is_refused_in_french(self):
        good = siret_with_key("2110009560001")
        bad = good[:-1] + str((int(good[-1]) + 1) % 10)
        with pytest.raises(ValidationError, match="clé de contrôle"):
            validate_siret(bad)

    @pytest.mark.parametrize("value", ["123", "2110009560001A", "", "211000956000199"])
    def test_a_malformed_siret_is_refused(self, value):
        with pytest.raises(ValidationError, match="14 chiffres"):
            validate_siret(value)

    def test_spaces_are_ignored(self):
        good = siret_with_key("2110009560001")
        validate_siret(f"{good[:3]} {good[3:6]} {good[6:9]} {good[9:]}")

    def test_la_poste_establishments_follow_their_own_rule(self):
        assert siret_is_valid("35600000000048")
        assert siret_is_valid("35600000049837")  # digits sum to 50

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet="0123456789", min_size=13, max_size=13))
    def test_exactly_one_key_digit_completes_a_prefix(self, prefix):
        keys = [k for k in range(10) if luhn_valid(prefix + str(k))]
        assert len(keys) == 1


class TestRenewal:
    def test_tacit_renewal_rolls_the_term_year_by_year(self):
        c = convention()
        assert rules.current_term_end(c, dt.date(2024, 6, 1)) == dt.date(2024, 12, 31)
        assert rules.current_term_end(c, dt.date(2025, 1, 1)) == dt.date(2025, 12, 31)
        assert rules.current_term_end(c, dt.date(2026, 11, 23)) == dt.date(2026, 12, 31)
        assert rules.next_renewal_date(c, dt.date(2026, 11, 23)) == dt.date(2027, 1, 1)

    def test_without_tacit_renewal_the_convention_ends(self):
        c = convention(tacit_renewal=False)
        assert rules.current_term_end(c, dt.date(2026, 1, 1)) == dt.date(2024, 12, 31)
        assert rules.next_renewal_date(c, dt.date(2024, 6, 1)) is None

    def test_a_terminated_convention_ends_on_its_termination(self):
        c = convention(status="terminated", terminated_on=dt.date(2025, 3, 31))
        assert rules.current_term_end(c, dt.date(2026, 1, 1)) == dt.date(2025, 3, 31)
        assert rules.next_renewal_date(c, dt.date(2025, 1, 1)) is None

    def test_notice_deadline_and_notice_date(self):
        c = convention(notice_months=2)
        assert rules.notice_deadline(c, dt.date(2024, 6, 1)) == dt.date(2024, 10, 31)
        assert rules.notice_due_on(c, dt.date(2024, 6, 1)) == dt.date(2024, 9, 30)

    def test_leap_day_anniversaries(self):
        c = convention(ends_on=dt.date(2024, 2, 29))
        assert rules.current_term_end(c, dt.date(2024, 3, 1)) == dt.date(2025, 2, 28)


class TestFte:
    def test_note_8_arithmetic(self):
        # Circular 2007-38, note 8: 80 % × ½ = 0.4 FTE.
        assert rules.employer_fte(Decimal("0.8"), Decimal("0.5")) == Decimal("0.40")

    def test_shares_up_to_0_8_raise_no_warning(self):
        assert rules.shares_warning(Decimal("0.8")) is None

    def test_shares_above_0_8_raise_a_french_warning(self):
        warning = rules.shares_warning(Decimal("0.85"))
        assert warning is not None
        assert "0,850" in warning
        assert "0,2" in warning
