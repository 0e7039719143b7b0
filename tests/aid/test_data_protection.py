"""Aid records follow the case through retention, and join the subject-access export."""

import datetime as dt

import pytest

from polesocial.aid.models import AidDecision, AidPayment, AidRequest, LoanInstalment
from polesocial.casework.services import retention
from polesocial.casework.subject_access import subject_export
from tests.aid.helpers import full_aid_history
from tests.factories import SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db


def test_anonymising_a_case_empties_the_free_text_of_its_aid_and_keeps_the_amounts():
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    request = full_aid_history(worker, case)
    retention._anonymise_cases([case.pk], dt.date(2030, 1, 1), retention.RetentionResult())
    request.refresh_from_db()
    assert (request.justification, request.budget_data, request.committee_summary) == ("", "", "")
    assert AidDecision.objects.get(request=request).motive == ""
    assert AidPayment.objects.get(request=request).payee_name == ""
    assert request.amount_granted == request.amount_requested  # the yearly figures stay
    assert LoanInstalment.objects.filter(request=request).count() == 3


def test_the_subject_export_holds_the_aid_requested_decided_and_paid():
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    full_aid_history(worker, case)
    export = subject_export(actor=UserFactory(role="dpo"), employee=case.employee)
    tables = {section["table"]: section for section in export["données"]}
    assert tables["aid.AidRequest"]["lignes"][0]["motif de la demande"].startswith("Impayés")
    assert tables["aid.AidPayment"]["lignes"][0]["tiers bénéficiaire"].startswith("Office")
    assert len(tables["aid.LoanInstalment"]["lignes"]) == 3
    assert AidRequest.objects.count() == 1
