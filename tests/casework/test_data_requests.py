"""An employee's requests about his data: subject access received → prepared → reviewed by
the worker in charge (third parties withheld) → released as JSON and PDF, staff names only
after the DPO's balancing decision; erasure decided within the legal limits, anonymising as
the retention job does. Every step journaled; the DPO never sees the content."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polesocial.casework.models import (
    Case,
    Employee,
    ErasureRequest,
    Interview,
    SubjectAccessRequest,
)
from polesocial.casework.services import cases
from polesocial.casework.services import data_requests as services
from polesocial.notifications.models import Notification
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.casework.test_subject_export import NOTE, full_case
from tests.conftest import sign_in
from tests.factories import SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo():
    return UserFactory(role=Role.DPO)


def received(dpo, case) -> SubjectAccessRequest:
    return services.subject_request_receive(
        actor=dpo, employee=case.employee, received_on=timezone.localdate()
    )


def interview_notes_key(case) -> dict:
    interview = Interview.objects.get(case=case)
    return {"table": "casework.Interview", "row": interview.pk, "field": "notes"}


def test_a_request_goes_from_receipt_to_release_with_third_parties_withheld(client, dpo):
    worker, case = full_case()
    request = received(dpo, case)
    services.subject_request_prepare(actor=dpo, request=request)
    assert Notification.objects.filter(recipient=worker.user).exists()

    sign_in(client, worker.user)
    review_url = reverse("casework:subject_request_review", args=[request.pk])
    assert NOTE in client.get(review_url).content.decode()
    key = interview_notes_key(case)
    client.post(review_url, {"occulter": f"{key['table']}|{key['row']}|{key['field']}"})
    request.refresh_from_db()
    assert request.status == "reviewed" and request.redactions == [key]

    services.subject_request_balance(
        actor=dpo, request=request, disclose=False, motive="Pas d'intérêt légitime démontré"
    )
    services.subject_request_release(actor=dpo, request=request)
    sign_in(client, dpo)
    url = reverse("casework:subject_request_download", args=[request.pk])
    data = json.loads(client.get(url, {"format": "json"}).content)
    text = json.dumps(data, ensure_ascii=False)
    assert NOTE not in text and services.REDACTED in text
    assert "Dettes de loyer, deux enfants à charge." in text  # the rest is released
    assert worker.user.last_name not in text
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    steps = AuditEntry.objects.filter(object_type="casework.SubjectAccessRequest")
    assert list(steps.order_by("sequence").values_list("action", flat=True)) == [
        AuditAction.SUBJECT_REQUEST_RECEIVE,
        AuditAction.SUBJECT_REQUEST_PREPARE,
        AuditAction.SUBJECT_REQUEST_REVIEW,  # her reading of the export
        AuditAction.SUBJECT_REQUEST_REVIEW,  # her review
        AuditAction.SUBJECT_REQUEST_BALANCE,
        AuditAction.SUBJECT_REQUEST_RELEASE,
    ]
    downloads = AuditEntry.objects.filter(action=AuditAction.SUBJECT_EXPORT, actor=dpo)
    assert sorted(e.detail["format"] for e in downloads if "format" in e.detail) == ["json", "pdf"]


def test_the_dpo_follows_the_request_by_counts_and_steps_never_content(client, dpo):
    _, case = full_case()
    request = received(dpo, case)
    services.subject_request_prepare(actor=dpo, request=request)
    sign_in(client, dpo)
    page = client.get(reverse("casework:subject_request_detail", args=[request.pk]))
    text = page.content.decode()
    assert "Entretiens" in text and "relecture confiée à" in text
    for secret in (NOTE, "Dupont", "Dettes de loyer"):
        assert secret not in text


def test_staff_names_appear_in_the_accesses_only_after_a_balancing_decision(dpo):
    worker, case = full_case()
    request = received(dpo, case)
    services.subject_request_prepare(actor=dpo, request=request)
    services.subject_request_review(actor=worker.user, request=request, redactions=[])
    services.subject_request_balance(
        actor=dpo, request=request, disclose=True, motive="Soupçon d'accès illégitime signalé"
    )
    request = services.subject_request_release(actor=dpo, request=request)
    accesses = services.released_export(request)["accès"]
    assert accesses and {a["personnel"] for a in accesses} >= {worker.user.full_name}
    assert all("_auteur" not in a for a in accesses)
    entry = AuditEntry.objects.get(action=AuditAction.SUBJECT_REQUEST_BALANCE)
    assert entry.detail == {"names_disclosed": True}  # the motive stays off the journal


def test_release_is_refused_before_review_and_before_the_balancing_decision(dpo):
    worker, case = full_case()
    request = received(dpo, case)
    with pytest.raises(ValidationError, match="Étape impossible"):
        services.subject_request_release(actor=dpo, request=request)
    services.subject_request_prepare(actor=dpo, request=request)
    services.subject_request_review(actor=worker.user, request=request, redactions=[])
    with pytest.raises(ValidationError, match="mise en balance"):
        services.subject_request_release(actor=dpo, request=request)
    with pytest.raises(ValidationError, match="remise"):
        services.released_export(request)


def test_only_the_worker_named_reviews_and_only_fields_of_the_export(client, dpo):
    worker, case = full_case()
    request = received(dpo, case)
    services.subject_request_prepare(actor=dpo, request=request)
    colleague = SocialWorkerFactory(team=worker.team)
    with pytest.raises(ValidationError):
        services.subject_request_review(actor=colleague.user, request=request, redactions=[])
    with pytest.raises(ValidationError, match="aucun champ"):
        services.subject_request_review(
            actor=worker.user,
            request=request,
            redactions=[{"table": "casework.Case", "row": case.pk, "field": "inventé"}],
        )
    url = reverse("casework:subject_request_review", args=[request.pk])
    sign_in(client, colleague.user)
    assert client.get(url).status_code == 404
    sign_in(client, dpo)
    assert client.get(url).status_code == 404


def test_a_short_balancing_motive_is_refused_in_french(dpo):
    _, case = full_case()
    request = received(dpo, case)
    with pytest.raises(ValidationError, match="au moins 20 caractères"):
        services.subject_request_balance(actor=dpo, request=request, disclose=True, motive="ok")


# --- Erasure ---------------------------------------------------------------------------------


def erasure(dpo, case) -> ErasureRequest:
    return services.erasure_request_receive(
        actor=dpo, employee=case.employee, received_on=timezone.localdate()
    )


def test_erasure_of_an_open_case_is_refused_with_the_legal_reason(dpo):
    case = open_case_for(SocialWorkerFactory())
    with pytest.raises(ValidationError, match="encore ouvert"):
        services.erasure_request_decide(
            actor=dpo, request=erasure(dpo, case), decision="granted",
            motive="Demande fondée sur l'article 17 du RGPD",
        )  # fmt: skip
    assert Case.objects.get(pk=case.pk).anonymised_on is None


def test_a_granted_erasure_anonymises_as_the_retention_job_does(client, dpo):
    worker, case = full_case()
    request = erasure(dpo, case)
    sign_in(client, dpo)
    page = client.get(reverse("casework:erasure_request_detail", args=[request.pk]))
    assert "Secret professionnel" in page.content.decode()
    response = client.post(
        reverse("casework:erasure_request_detail", args=[request.pk]),
        {"decision": "granted", "motive": "Dossier clos, aucune obligation de conservation"},
    )
    assert response.status_code == 302
    employee = Employee.objects.get(pk=case.employee_id)
    assert employee.anonymised_on is not None and employee.last_name == ""
    case.refresh_from_db()
    assert case.anonymised_on is not None and case.assessment == ""
    assert Interview.objects.get(case=case).notes == ""
    assert case.snapshot_birth_year  # statistics kept
    request.refresh_from_db()
    assert request.decision == "granted" and request.decision_motive
    assert AuditEntry.objects.filter(action=AuditAction.ERASURE_REQUEST_DECIDE).exists()
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION_ANONYMISE_CASE).exists()


def test_a_refused_erasure_keeps_everything_and_records_why(dpo):
    _, case = full_case()
    request = services.erasure_request_decide(
        actor=dpo, request=erasure(dpo, case), decision="refused",
        motive="Contentieux en cours : conservation nécessaire (art. 17(3)(e))",
    )  # fmt: skip
    assert request.decision == "refused"
    assert Interview.objects.get(case=case).notes == NOTE
    entry = AuditEntry.objects.get(action=AuditAction.ERASURE_REQUEST_DECIDE)
    assert entry.detail == {"decision": "refused"}


def test_a_request_dated_in_the_future_is_refused(dpo):
    case = open_case_for(SocialWorkerFactory())
    cases.case_close(
        actor=case.worker.user, case=case, closed_on=case.opened_on, reason="objectives_met"
    )
    with pytest.raises(ValidationError, match="futur"):
        services.subject_request_receive(
            actor=dpo, employee=case.employee,
            received_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
        )  # fmt: skip


def test_the_dpo_finds_the_requests_in_progress_on_the_subject_access_page(client, dpo):
    case = open_case_for(SocialWorkerFactory())
    request = received(dpo, case)
    pending = erasure(dpo, case)
    sign_in(client, dpo)
    page = client.get(reverse("casework:subject_access")).content.decode()
    assert reverse("casework:subject_request_detail", args=[request.pk]) in page
    assert reverse("casework:erasure_request_detail", args=[pending.pk]) in page
    assert "Dupont" not in page


def test_the_pdf_holds_each_table_and_the_accesses_with_withheld_fields_marked(dpo):
    from django.template.loader import render_to_string

    worker, case = full_case()
    request = services.subject_request_prepare(actor=dpo, request=received(dpo, case))
    services.subject_request_review(
        actor=worker.user, request=request, redactions=[interview_notes_key(case)]
    )
    services.subject_request_balance(
        actor=dpo, request=request, disclose=False, motive="Pas d'intérêt légitime démontré"
    )
    request = services.subject_request_release(actor=dpo, request=request)
    html = render_to_string(
        "casework/subject_access/export_pdf.html",
        {"request": request, "export": services.released_export(request)},
    )
    assert "Entretiens (1)" in html and "Accès à vos données" in html
    assert "occulté : concerne un tiers" in html and NOTE not in html
