"""The committee never learns who the employee is, and reads only the sessions it sits in.

Every committee page, the minutes PDF and the API answers are checked against the
employee's actual identifying values (name, birth date, job, case number, the case's own
employer when it is small).
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from polesocial.aid import services
from polesocial.aid.agenda import EMPLOYER_HIDDEN
from polesocial.users.enums import Role
from tests.aid.helpers import DAY, IDENTIFYING, aid_case, draft, member, on_agenda, session_with
from tests.conftest import sign_in
from tests.factories import EmployerFactory, SocialWorkerFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # the table wraps its cells


def identifying_values(request) -> list[str]:
    case = request.case
    return [*IDENTIFYING, case.number, case.employee.last_name, case.employee.first_name]


def assert_names_nobody(text: str, request) -> None:
    for value in identifying_values(request):
        assert value.lower() not in text.lower(), f"{value!r} shown to the committee"


@pytest.fixture
def sitting():
    """A member convened to a session with one file on its agenda, decided."""
    worker = SocialWorkerFactory()
    officer = member()
    session = session_with([officer])
    request = on_agenda(worker, session)
    services.aid_decision_record(
        actor=officer, request=request, outcome="partly_granted", amount=Decimal("450.00"),
        motive="Aide plafonnée.", decided_on=DAY,
    )  # fmt: skip
    return officer, session, request


def pages_of(client, session):
    yield client.get(reverse("aid:session_list")).content.decode()
    yield client.get(reverse("aid:session_detail", args=[session.pk])).content.decode()
    yield client.get(reverse("api:aid-session-list")).content.decode()
    yield client.get(reverse("api:aid-session-detail", args=[session.pk])).content.decode()


@pytest.mark.parametrize("role", [Role.COMMITTEE_MEMBER, Role.COUNSELLOR])
def test_committee_pages_pdf_and_api_name_nobody(client, sitting, role):
    officer, session, request = sitting
    user = officer if role == Role.COMMITTEE_MEMBER else UserFactory(role=role)
    sign_in(client, user)
    for text in pages_of(client, session):
        assert_names_nobody(text, request)
    detail = client.get(reverse("aid:session_detail", args=[session.pk])).content.decode()
    assert request.committee_number in detail and "450" in detail
    assert "1 adulte, 2 enfants" in detail
    minutes = client.get(reverse("aid:session_minutes", args=[session.pk]))
    text = pdf_text(minutes.content)
    assert request.committee_number in text and "Accordée en partie" in text
    assert_names_nobody(text, request)


def test_the_employer_is_hidden_on_the_agenda_when_it_has_fewer_than_11_employees(client):
    worker = SocialWorkerFactory()
    officer = member()
    session = session_with([officer])
    small = EmployerFactory(team=worker.team, name="Commune de Rupt-aux-Nonains")
    request = on_agenda(worker, session, case=aid_case(worker, employer=small, headcount=7))
    sign_in(client, officer)
    page = client.get(reverse("aid:session_detail", args=[session.pk])).content.decode()
    api = client.get(reverse("api:aid-session-detail", args=[session.pk])).json()
    assert "Rupt-aux-Nonains" not in page and EMPLOYER_HIDDEN in page
    assert api["agenda"][0]["employer"] == EMPLOYER_HIDDEN
    assert api["agenda"][0]["number"] == request.committee_number


def test_a_member_reads_no_session_before_signing_his_undertaking(client):
    worker = SocialWorkerFactory()
    newcomer = UserFactory(role=Role.COMMITTEE_MEMBER)
    session = session_with([newcomer])
    on_agenda(worker, session)
    sign_in(client, newcomer)
    assert client.get(reverse("aid:session_detail", args=[session.pk])).status_code == 404
    client.post(reverse("aid:undertaking"), {"accept": "on"})
    assert newcomer.aid_undertaking.signed_on is not None
    assert client.get(reverse("aid:session_detail", args=[session.pk])).status_code == 200


def test_a_member_cannot_open_a_case_an_employee_or_a_session_he_does_not_sit_in(client, sitting):
    officer, session, request = sitting
    other = session_with([member()])
    sign_in(client, officer)
    case = request.case
    assert client.get(reverse("aid:session_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:aid-session-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("aid:session_minutes", args=[other.pk])).status_code == 404
    assert client.get(reverse("casework:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("aid:case_aid", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("api:employee-detail", args=[case.employee_id])).status_code == 404


def test_a_member_records_the_decision_of_his_session_from_its_page(client):
    worker = SocialWorkerFactory()
    officer = member()
    session = session_with([officer])
    request = on_agenda(worker, session)
    sign_in(client, officer)
    response = client.post(
        reverse("aid:decision_record", args=[session.pk]),
        {
            "request": request.pk,
            "outcome": "granted",
            "amount": "600,00",
            "decided_on": "2026-03-10",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "decided" and request.amount_granted == Decimal("600.00")


def test_the_hr_contact_reads_the_catalogue_of_his_employer_only(client):
    from tests.aid.helpers import scheme

    own, other = EmployerFactory(), EmployerFactory()
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    own.accounts.add(contact)
    scheme(name="Aide aux vacances de Bar-le-Duc", funder="employer", employer=own)
    scheme(name="Aide au logement de Verdun", funder="employer", employer=other)
    scheme(name="Secours du centre de gestion", funder="operator")
    from polesocial.aid.models import Membership

    Membership.objects.create(employer=own, body="cnas", starts_on=DAY, employees_covered=120)
    Membership.objects.create(employer=other, body="welfare_insurance", starts_on=DAY)
    sign_in(client, contact)
    page = client.get(reverse("aid:catalogue")).content.decode()
    api = client.get(reverse("api:aid-scheme-list")).json()
    assert "Bar-le-Duc" in page and "120 agents couverts" in page
    assert "Verdun" not in page and "Convention de participation" not in page
    assert "centre de gestion" not in page
    names = [row["name"] for row in (api["results"] if "results" in api else api)]
    assert names == ["Aide aux vacances de Bar-le-Duc"]


def test_a_worker_takes_a_request_from_the_case_tab_to_its_letter(client):
    worker = SocialWorkerFactory()
    case = aid_case(worker)
    from tests.aid.helpers import scheme

    chosen = scheme()
    sign_in(client, worker.user)
    response = client.post(
        reverse("aid:request_create", args=[case.pk]),
        {
            "scheme": chosen.pk,
            "amount_requested": "600",
            "justification": "Dette de loyer.",
            "incomes": "Salaire ; 1 450,00\nAllocations ; 141,99",
            "expenses": "Loyer ; 620\nÉnergie ; 132,45\nCrédit ; 210",
            "adults": "1",
            "children": "2",
            "committee_summary": "Parent isolé, dette de loyer de trois mois.",
        },
    )
    assert response.status_code == 302
    tab = client.get(reverse("aid:case_aid", args=[case.pk])).content.decode()
    assert "629.54" in tab or "629,54" in tab
    request = case.aid_requests.get()
    client.post(reverse("aid:request_submit", args=[case.pk, request.pk]))
    request.refresh_from_db()
    assert request.status == "submitted" and request.committee_number.startswith("20")
    letter = client.get(reverse("aid:letter", args=[case.pk, request.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert "Éloïse" in pdf_text(letter.content)  # the letter goes to the employee herself


def test_a_request_is_refused_on_the_tab_without_consent_for_the_committee(client):
    worker = SocialWorkerFactory()
    case = aid_case(worker, consent=False)
    request = draft(worker, case=case)
    sign_in(client, worker.user)
    response = client.post(reverse("aid:request_submit", args=[case.pk, request.pk]), follow=True)
    assert "ne couvre pas" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "draft"


def test_the_counsellor_decides_an_urgent_file_by_written_procedure_from_its_page(client):
    worker = SocialWorkerFactory()
    request = draft(worker, urgent=True)
    request = services.aid_request_submit(actor=worker.user, request=request, on=DAY)
    counsellor = UserFactory(role=Role.COUNSELLOR)
    sign_in(client, counsellor)
    page = client.get(reverse("aid:written_procedure")).content.decode()
    assert request.committee_number in page
    assert_names_nobody(page, request)
    response = client.post(
        reverse("aid:written_procedure"),
        {"request": request.pk, "outcome": "granted", "amount": "600", "decided_on": "2026-03-12"},
    )
    assert response.status_code == 302
    assert request.decisions.get().written_procedure


def test_the_counsellor_records_who_was_present_and_the_quorum_follows(client):
    officers = [member(), member(), member()]
    session = session_with(officers)
    sign_in(client, UserFactory(role=Role.COUNSELLOR))
    url = reverse("aid:session_attendance", args=[session.pk])
    client.post(url, {"present": [officers[0].pk, officers[1].pk]})
    assert not services.quorum_reached(session)
    client.post(url, {"present": [o.pk for o in officers]})
    assert services.quorum_reached(session)
    stranger = member()
    response = client.post(url, {"present": [stranger.pk]}, follow=True)
    assert session.present.count() == 3  # a member not convened is refused
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_worker_links_her_aid_committee_meeting_time_to_the_session():
    from polesocial.collective.services import body_meeting_create

    worker = SocialWorkerFactory()
    session = session_with([])
    employer = EmployerFactory(team=worker.team)
    meeting = body_meeting_create(
        actor=worker.user, worker=worker, employer=employer, body="aid_committee",
        held_on=session.held_on, duration_minutes=120, topics="Commission d'aides.",
    )  # fmt: skip
    services.session_time_link(actor=worker.user, session=session, meeting=meeting)
    assert list(session.body_meetings.all()) == [meeting]
    clas = body_meeting_create(
        actor=worker.user, worker=worker, employer=employer, body="clas",
        held_on=session.held_on, duration_minutes=60, topics="CLAS.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="commission d'aides"):
        services.session_time_link(actor=worker.user, session=session, meeting=clas)


def test_billing_keeps_the_catalogue_and_the_hr_contact_then_reads_his_membership(client):
    employer = EmployerFactory()
    sign_in(client, UserFactory(role=Role.BILLING))
    response = client.post(
        reverse("aid:membership_create"),
        {"employer": employer.pk, "body": "welfare_insurance", "starts_on": "2026-01-01",
         "employees_covered": "85"},
    )  # fmt: skip
    assert response.status_code == 302
    contact = UserFactory(role=Role.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    sign_in(client, contact)
    page = client.get(reverse("aid:catalogue")).content.decode()
    assert "Convention de participation prévoyance" in page and "85 agents couverts" in page
    assert client.get(reverse("aid:membership_create")).status_code == 403
