import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from polesocial.notifications.models import Notification
from polesocial.organisations import services
from polesocial.organisations.models import Convention
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor():
    return UserFactory(role=Role.COUNSELLOR)


class TestConventionLifecycle:
    def test_draft_to_signed_to_active_to_terminated(self, counsellor):
        convention = ConventionFactory()
        convention = services.convention_sign(
            actor=counsellor, convention=convention, signed_on=dt.date(2025, 12, 15)
        )
        assert convention.status == "signed"
        convention = services.convention_activate(actor=counsellor, convention=convention)
        assert convention.status == "active"
        convention = services.convention_terminate(
            actor=counsellor, convention=convention, terminated_on=dt.date(2026, 6, 30)
        )
        assert convention.status == "terminated"
        actions = list(
            AuditEntry.objects.filter(object_type="organisations.Convention").values_list(
                "action", flat=True
            )
        )
        assert actions == ["convention.sign", "convention.activate", "convention.terminate"]

    @pytest.mark.parametrize(
        ("status", "transition"),
        [
            ("draft", "activate"),
            ("draft", "terminate"),
            ("signed", "sign"),
            ("active", "sign"),
            ("active", "activate"),
            ("terminated", "activate"),
            ("terminated", "terminate"),
        ],
    )
    def test_invalid_transitions_are_refused_and_change_nothing(
        self, counsellor, status, transition
    ):
        convention = ConventionFactory(status=status)
        call = {
            "sign": lambda: services.convention_sign(
                actor=counsellor, convention=convention, signed_on=dt.date(2026, 1, 1)
            ),
            "activate": lambda: services.convention_activate(
                actor=counsellor, convention=convention
            ),
            "terminate": lambda: services.convention_terminate(
                actor=counsellor, convention=convention, terminated_on=dt.date(2026, 2, 1)
            ),
        }[transition]
        with pytest.raises(ValidationError, match="ne peut pas passer"):
            call()
        assert Convention.objects.get(pk=convention.pk).status == status

    def test_termination_before_the_start_is_refused(self, counsellor):
        convention = ConventionFactory(status="active")
        with pytest.raises(ValidationError, match="précède le début"):
            services.convention_terminate(
                actor=counsellor, convention=convention, terminated_on=dt.date(2025, 1, 1)
            )
        assert Convention.objects.get(pk=convention.pk).status == "active"

    def test_the_amount_of_the_billing_mode_is_required(self, counsellor):
        employer = EmployerFactory()
        with pytest.raises(ValidationError):
            services.convention_create(
                actor=counsellor,
                employer=employer,
                billing_mode="sessions",
                hourly_rate=Decimal("60"),
                starts_on=dt.date(2026, 1, 1),
                ends_on=dt.date(2026, 12, 31),
            )
        assert not Convention.objects.exists()


class TestNotices:
    def test_counsellor_and_billing_are_told_three_months_before_the_term_ends(self):
        billing = UserFactory(role=Role.BILLING)
        convention = ConventionFactory(status="active")  # term ends 31/12/2026
        counsellor = convention.employer.team.counsellor

        assert services.convention_notices_send(on=dt.date(2026, 9, 29)) == 0
        assert services.convention_notices_send(on=dt.date(2026, 9, 30)) == 2
        recipients = set(Notification.objects.values_list("recipient", flat=True))
        assert recipients == {counsellor.pk, billing.pk}
        notice = Notification.objects.first()
        assert "31/12/2026" in notice.title
        assert "reconduite" in notice.body

    def test_a_notice_is_sent_once_per_term(self, django_capture_on_commit_callbacks):
        UserFactory(role=Role.BILLING)
        ConventionFactory(status="active")
        with django_capture_on_commit_callbacks(execute=True):
            services.convention_notices_send(on=dt.date(2026, 11, 1))
            services.convention_notices_send(on=dt.date(2026, 11, 2))
        assert Notification.objects.count() == 2
        assert len(mail.outbox) == 2

    def test_the_next_term_gets_its_own_notice(self):
        ConventionFactory(status="active")
        services.convention_notices_send(on=dt.date(2026, 11, 1))
        services.convention_notices_send(on=dt.date(2027, 11, 1))
        assert Notification.objects.count() == 2  # the counsellor, once per term

    def test_drafts_and_terminated_conventions_get_no_notice(self):
        ConventionFactory(status="draft")
        ConventionFactory(status="terminated", terminated_on=dt.date(2026, 12, 31))
        assert services.convention_notices_send(on=dt.date(2026, 11, 1)) == 0


class TestFteShares:
    def test_shares_above_0_8_come_with_a_warning(self, counsellor):
        worker = SocialWorkerFactory(fte=Decimal("0.8"), team=TeamFactory(counsellor=counsellor))
        first, second = EmployerFactory(), EmployerFactory()
        share, warning = services.fte_share_set(
            actor=counsellor, worker=worker, employer=first, year=2026, share=Decimal("0.5")
        )
        assert warning is None
        assert share.employer_fte == Decimal("0.4")
        _, warning = services.fte_share_set(
            actor=counsellor, worker=worker, employer=second, year=2026, share=Decimal("0.4")
        )
        assert warning is not None

    def test_setting_a_share_again_replaces_it(self, counsellor):
        worker = SocialWorkerFactory(team=TeamFactory(counsellor=counsellor))
        employer = EmployerFactory()
        for value in ("0.3", "0.6"):
            services.fte_share_set(
                actor=counsellor, worker=worker, employer=employer, year=2026, share=Decimal(value)
            )
        assert worker.fte_shares.get().share == Decimal("0.6")

    def test_a_share_above_one_is_refused(self, counsellor):
        with pytest.raises(ValidationError):
            services.fte_share_set(
                actor=counsellor,
                worker=SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
                employer=EmployerFactory(),
                year=2026,
                share=Decimal("1.5"),
            )


class TestReplacement:
    def test_the_replacing_worker_is_notified(self, counsellor):
        absent, replacing = (
            SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
            SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
        )
        services.replacement_create(
            actor=counsellor,
            absent=absent,
            replacing=replacing,
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2026, 7, 31),
        )
        assert Notification.objects.get().recipient == replacing.user

    def test_dates_are_inclusive(self, counsellor):
        from polesocial.organisations.models import Replacement

        absent, replacing = (
            SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
            SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
        )
        services.replacement_create(
            actor=counsellor,
            absent=absent,
            replacing=replacing,
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2026, 7, 31),
        )
        active = Replacement.objects.active_on
        assert active(dt.date(2026, 7, 1)).exists()
        assert active(dt.date(2026, 7, 31)).exists()
        assert not active(dt.date(2026, 8, 1)).exists()
        assert not active(dt.date(2026, 6, 30)).exists()

    def test_end_before_start_or_self_replacement_are_refused(self, counsellor):
        worker = SocialWorkerFactory(team=TeamFactory(counsellor=counsellor))
        with pytest.raises(ValidationError, match="elle-même"):
            services.replacement_create(
                actor=counsellor,
                absent=worker,
                replacing=worker,
                starts_on=dt.date(2026, 7, 1),
                ends_on=dt.date(2026, 7, 2),
            )
        with pytest.raises(ValidationError, match="précède"):
            services.replacement_create(
                actor=counsellor,
                absent=worker,
                replacing=SocialWorkerFactory(team=TeamFactory(counsellor=counsellor)),
                starts_on=dt.date(2026, 7, 2),
                ends_on=dt.date(2026, 7, 1),
            )


class TestOwnTeamsOnly:
    """A counsellor plans and replaces the workers of the teams she leads, or holds in
    interim; never another team's."""

    def test_another_teams_worker_is_refused(self, counsellor):
        stranger = SocialWorkerFactory()
        with pytest.raises(ValidationError, match="Vous n'encadrez pas cette équipe"):
            services.fte_share_set(
                actor=counsellor,
                worker=stranger,
                employer=EmployerFactory(),
                year=2026,
                share=Decimal("0.5"),
            )
        with pytest.raises(ValidationError, match="Vous n'encadrez pas cette équipe"):
            services.replacement_create(
                actor=counsellor,
                absent=stranger,
                replacing=SocialWorkerFactory(team=stranger.team),
                starts_on=dt.date(2026, 7, 1),
                ends_on=dt.date(2026, 7, 2),
            )

    def test_in_interim_she_manages_that_team_too(self, counsellor):
        from django.utils import timezone

        stranger = SocialWorkerFactory()
        today = timezone.localdate()
        services.counsellor_interim_create(
            actor=stranger.team.counsellor,
            team=stranger.team,
            interim=counsellor,
            starts_on=today,
            ends_on=today,
        )
        share, _warning = services.fte_share_set(
            actor=counsellor,
            worker=stranger,
            employer=EmployerFactory(),
            year=2026,
            share=Decimal("0.5"),
        )
        assert share.worker == stranger
