"""The employee's own request: from the public page to the team's queue, and never to his
employer, whatever door the employer looks through (screens, API, notifications, reports)."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.enums import ReferralSource
from polesocial.casework.models import Referral, SelfReferralAttempt
from polesocial.casework.services.referrals import referral_assign
from polesocial.casework.services.retention import traces_purge
from polesocial.casework.services.self_referral import referral_mark_spam
from polesocial.notifications.models import Notification
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.reports.queries import Scope
from polesocial.reports.report import build_report
from polesocial.users.enums import Role
from tests.api.world import build_world
from tests.conftest import sign_in
from tests.factories import ConventionFactory, EmployerFactory, SocialWorkerFactory
from tests.test_canary import api_urls, crawl

pytestmark = pytest.mark.django_db

SELF_CANARY = "Canari9SELF"
PAGE = "/contacter-le-service-social/"


def text(response) -> str:
    return unescape(response.content.decode())


def _request(client, employer, **overrides):
    data = {
        "employer": employer.pk,
        "last_name": f"{SELF_CANARY}-nom",
        "first_name": "Prénom",
        "contact": f"{SELF_CANARY}-contact 06 00 00 00 00",
        "message": f"{SELF_CANARY}-message : je voudrais parler de ma situation.",
        "site_web": "",
        **overrides,
    }
    return client.post(PAGE, data, REMOTE_ADDR=overrides.pop("ip", "203.0.113.7"))


@pytest.fixture
def member():
    worker = SocialWorkerFactory()
    employer = EmployerFactory(team=worker.team)
    ConventionFactory(employer=employer, active=True)
    return employer, worker


def test_an_employee_asks_for_help_and_his_request_waits_in_the_team_queue(client, member):
    employer, worker = member
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Votre employeur n'est pas prévenu" in text
    assert "Responsable du traitement" in text and "Vos droits" in text
    assert employer.name in text  # the members are offered

    response = _request(client, employer)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.source == ReferralSource.EMPLOYEE
    assert referral.created_by is None
    assert referral.person_contact.startswith(SELF_CANARY)
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_CREATE).exists()
    # The team's lead is told a referral waits; the queue shows it (no identity).
    assert Notification.objects.filter(recipient=worker.team.counsellor).exists()
    sign_in(client, worker.user)
    queue = client.get(reverse("casework:queue")).content.decode()
    assert referral.number in queue
    assert SELF_CANARY not in queue


def test_the_page_names_the_employer_given_in_its_address(client, member):
    employer, _worker = member
    page = client.get(PAGE, {"employeur": employer.pk}).content.decode()
    assert f'<option value="{employer.pk}" selected>' in page


def test_an_employer_without_a_convention_in_force_is_not_offered(client, member):
    stranger = EmployerFactory()
    assert stranger.name not in client.get(PAGE).content.decode()
    response = _request(client, stranger)
    assert response.status_code == 200
    assert "Choisissez votre employeur dans la liste." in text(response)
    assert not Referral.objects.exists()


def test_the_honeypot_refuses_in_french(client, member):
    employer, _worker = member
    response = _request(client, employer, site_web="http://promo.example")
    assert response.status_code == 200
    assert "Votre demande n'a pas pu être envoyée" in text(response)
    assert not Referral.objects.exists()


def test_too_long_a_message_is_refused_in_french(client, member):
    employer, _worker = member
    response = _request(client, employer, message="x" * 1001)
    assert "1000 caractères au plus" in text(response)
    assert not Referral.objects.exists()


def test_the_rate_limit_per_address_refuses_in_french(client, member, settings):
    settings.SELF_REFERRAL_IP_LIMIT = 2
    employer, _worker = member
    for _ in range(2):
        assert _request(client, employer).status_code == 302
    refused = _request(client, employer)
    assert refused.status_code == 200
    assert "Plusieurs demandes ont déjà été envoyées depuis cette connexion" in (text(refused))
    assert Referral.objects.count() == 2
    # Another address is still served.
    assert _request(client, employer, ip="198.51.100.4").status_code == 302


def test_the_rate_limit_per_employer_refuses_in_french(client, member, settings):
    settings.SELF_REFERRAL_EMPLOYER_LIMIT = 1
    employer, _worker = member
    assert _request(client, employer, ip="198.51.100.1").status_code == 302
    refused = _request(client, employer, ip="198.51.100.2")
    assert "beaucoup de demandes pour cet employeur" in text(refused)
    assert Referral.objects.count() == 1


def test_the_address_is_forgotten_after_the_window(client, member, settings):
    employer, _worker = member
    _request(client, employer)
    old = timezone.now() - timezone.timedelta(seconds=settings.SELF_REFERRAL_WINDOW_SECONDS + 1)
    SelfReferralAttempt.objects.update(created_at=old)
    traces_purge(before=timezone.now() - timezone.timedelta(days=365))
    assert not SelfReferralAttempt.objects.exists()


def test_the_worker_marks_an_abusive_request_as_spam(client, member):
    employer, worker = member
    _request(client, employer)
    referral = Referral.objects.get()
    referral_assign(actor=worker.team.counsellor, referral=referral, worker=worker)
    sign_in(client, worker.user)
    detail = client.get(reverse("casework:referral_detail", args=[referral.pk]))
    assert "Signaler comme abusive" in detail.content.decode()
    response = client.post(reverse("casework:referral_mark_spam", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.spam_marked_at is not None
    assert referral.reason == "" and referral.person_contact == ""
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_MARK_SPAM).exists()
    client.get(reverse("casework:queue"))  # the message is shown once
    assert referral.number not in client.get(reverse("casework:queue")).content.decode()


def test_a_referral_sent_by_the_employer_cannot_be_marked_as_spam(member):
    from django.core.exceptions import PermissionDenied

    from polesocial.casework.services.referrals import referral_create

    employer, worker = member
    referral = referral_create(
        actor=None,
        employer=employer,
        source=ReferralSource.EMPLOYER_HR,
        reason="Motif",
        person_last_name="Nom",
        person_first_name="Prénom",
    )
    referral_assign(actor=worker.team.counsellor, referral=referral, worker=worker)
    with pytest.raises(PermissionDenied):
        referral_mark_spam(actor=worker.user, referral=referral)


def test_his_employer_learns_nothing_of_it_by_screen_api_notification_or_report(client):
    world = build_world()
    employer = world.objects["employer"]
    hr = world.users[Role.EMPLOYER_CONTACT]
    sign_in(client, world.users[Role.DPO])
    openapi = client.get(reverse("api:schema"), {"format": "json"}).json()
    client.logout()
    _request(client, employer)
    referral = Referral.objects.get(source=ReferralSource.EMPLOYEE)

    sign_in(client, hr)
    client.raise_request_exception = False
    report = reverse("reports:report", args=["employer", employer.pk, timezone.now().year])
    pages = crawl(client, ["/", report, *api_urls(world, openapi)])
    assert len(pages) > 10
    told = {url: text for url, text in pages.items() if SELF_CANARY in text}
    assert told == {}
    assert not [url for url, text in pages.items() if referral.number in text]
    assert not Notification.objects.filter(recipient=hr).exists()
    assert not [m for m in mail.outbox if hr.email in m.to or SELF_CANARY in m.body]
    # Below the disclosure threshold, not even a count, controlled or not.
    for controlled in (True, False):
        figures = build_report(
            timezone.now().year, Scope("employer", employer.pk), controlled=controlled
        )["referrals"]
        assert figures["by_source"]["employee"] in (0, None)
