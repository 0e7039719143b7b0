"""The aid demo: a year of requests, four committee sessions, papers that name nobody."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from polesocial.aid import demo as aid_demo
from polesocial.aid.models import AidRequest, CommitteeSession
from polesocial.casework import demo as casework_demo
from polesocial.core.management.commands import demo as demo_command
from polesocial.directory import demo as directory_demo
from polesocial.organisations import demo as organisations_demo
from polesocial.privacy.models import AuditEntry
from polesocial.users.models import User
from tests.conftest import sign_in
from tests.core.test_demo import row_counts

LOADERS = [organisations_demo.load, directory_demo.load, casework_demo.load, aid_demo.load]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("loaded"),
    pytest.mark.xdist_group("casework_demo"),
]


def run_demo() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_command, "DEMO_LOADERS", LOADERS)
        call_command("demo", stdout=StringIO())


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        start = time.perf_counter()
        run_demo()
        yield time.perf_counter() - start
        call_command("flush", interactive=False, verbosity=0)


def test_a_year_of_requests_goes_through_four_sessions_to_payment():
    assert CommitteeSession.objects.count() == 4
    statuses = set(AidRequest.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "on_agenda", "paid", "closed"} <= statuses
    months = {r.created_at.month for r in AidRequest.objects.all()}
    assert len(months) >= 4
    assert AidRequest.objects.filter(decisions__written_procedure=True).exists()


def test_the_demo_committee_member_reads_agendas_that_name_nobody(client):
    member = User.objects.get(email=aid_demo.MEMBER)
    sign_in(client, member)
    for session in CommitteeSession.objects.all():
        page = client.get(reverse("aid:session_detail", args=[session.pk]))
        assert page.status_code == 200
        text = page.content.decode().lower()
        for request in AidRequest.objects.filter(session=session).select_related("case"):
            person = request.case.person
            assert person.last_name.lower() not in text
            assert request.case.number.lower() not in text


def test_running_the_demo_again_changes_nothing():
    before, journal = row_counts(), AuditEntry.objects.count()
    run_demo()
    assert row_counts() == before
    assert AuditEntry.objects.count() == journal
