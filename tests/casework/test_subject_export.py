"""Subject access: everything held on one employee, with the accesses to it, as JSON."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from polesocial.appointments.models import Appointment
from polesocial.casework.models import Consent
from polesocial.casework.services import cases, mobility, records
from polesocial.casework.subject_access import EXPORTED_MODELS
from polesocial.privacy.enums import AuditAction
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.aid.helpers import full_aid_history
from tests.casework.employee_tables import models_referring_to_an_employee
from tests.factories import PartnerFactory, SocialWorkerFactory, UserFactory, open_case_for

pytestmark = pytest.mark.django_db

NOTE = "Entretien : dettes de loyer, rendez-vous CAF à prévoir."


def full_case():
    worker = SocialWorkerFactory()
    case = open_case_for(worker)
    user = worker.user
    records.interview_record(
        actor=user, case=case, occurred_on=dt.date(2026, 3, 10), place="operator_office",
        duration_minutes=45, notes=NOTE,
    )  # fmt: skip
    objective = records.objective_add(actor=user, case=case, title="Résorber la dette")
    records.action_add(actor=user, objective=objective, description="Dossier FSL")
    records.orientation_record(
        actor=user, case=case, partner=PartnerFactory(), oriented_on=dt.date(2026, 3, 12),
        purpose="Aide au logement",
    )  # fmt: skip
    records.document_upload(actor=user, case=case, name="avis.pdf", data=b"%PDF-1.4 avis")
    _hand_off_to_mobility(case)
    Appointment.objects.create(
        worker=worker, employer=case.snapshot_employer, employee=case.employee, case=case,
        person_name="Éloïse Dupont-Lefèvre", start=timezone.now(), place="operator_office",
        end=timezone.now() + dt.timedelta(minutes=45), booked_by=user,
    )  # fmt: skip
    full_aid_history(worker, case)
    cases.case_close(actor=user, case=case, closed_on=dt.date(2026, 3, 20), reason="objectives_met")
    return worker, case


def _hand_off_to_mobility(case) -> None:
    Consent.objects.filter(pk=case.consent_id).update(scope=["mobility_adviser"])
    adviser = UserFactory(role=Role.MOBILITY_ADVISER)
    handoff = mobility.handoff_create(
        actor=case.worker.user, case=case, adviser=adviser, kind="share", note="Reclassement"
    )
    mobility.mobility_follow_up_record(
        actor=adviser,
        handoff=handoff,
        kind="training",
        occurred_on=timezone.localdate(),
        minutes=30,
    )


def export(employee_id) -> dict:
    out = StringIO()
    call_command("subject_export", f"--employee={employee_id}", stdout=out)
    return json.loads(out.getvalue())


def test_every_table_that_refers_to_an_employee_is_in_the_subject_export():
    missing = models_referring_to_an_employee() - set(EXPORTED_MODELS)
    assert not missing, f"Ajoutez ces modèles à l'export du droit d'accès : {sorted(missing)}"


def test_the_export_holds_every_record_of_the_employee_and_names_no_staff_member():
    worker, case = full_case()
    data = export(case.employee_id)
    tables = {section["table"]: section for section in data["données"]}
    assert set(tables) == set(EXPORTED_MODELS)
    # Every table holds a row, but the requests about his data: he has made none here.
    requests = {"casework.SubjectAccessRequest", "casework.ErasureRequest"}
    assert all(tables[label]["lignes"] for label in set(EXPORTED_MODELS) - requests)
    assert tables["casework.Employee"]["lignes"][0]["nom"] == "Dupont-Lefèvre"
    assert tables["casework.Interview"]["lignes"][0]["notes"] == NOTE
    assert tables["casework.Case"]["lignes"][0]["numéro"] == case.number
    text = json.dumps(data, ensure_ascii=False)
    assert worker.user.last_name not in text  # staff by role only (CJEU C-579/21)
    assert "match_key" not in text


def test_the_export_lists_the_accesses_with_their_date_purpose_and_role():
    _, case = full_case()
    data = export(case.employee_id)
    actions = {access["action"] for access in data["accès"]}
    assert {"Ouverture du dossier", "Saisie d'un entretien", "Clôture du dossier"} <= actions
    assert {access["rôle"] for access in data["accès"]} >= {"Assistant·e de service social"}


def test_the_export_is_journaled_without_content():
    _, case = full_case()
    export(case.employee_id)
    entry = AuditEntry.objects.get(action=AuditAction.SUBJECT_EXPORT)
    assert entry.object_type == "casework.Employee"
    assert entry.object_ids == [case.employee_id]
    assert entry.detail["rows"]["casework.Interview"] == 1
    assert NOTE not in json.dumps(entry.detail)


def test_an_unknown_employee_is_refused_in_french():
    with pytest.raises(CommandError, match="Aucun agent n'a le numéro 999999"):
        export(999999)


def test_the_export_can_be_written_to_a_file(tmp_path):
    _, case = full_case()
    out = StringIO()
    path = tmp_path / "export.json"
    call_command("subject_export", f"--employee={case.employee_id}", f"--output={path}",
                 stdout=out)  # fmt: skip
    assert "Faites-le relire par l'ASS en charge" in out.getvalue()
    assert json.loads(path.read_text(encoding="utf-8"))["agent"] == case.employee_id


def search(client, **identity):
    query = {"last_name": "", "first_name": "", "birth_date": "", **identity}
    return client.get(reverse("casework:subject_access"), query)


def test_the_dpo_finds_the_person_named_in_a_request_and_sees_counts_never_content(client_as):
    worker, case = full_case()
    dpo = client_as(Role.DPO)
    response = search(dpo, last_name="DUPONT-LEFEVRE", first_name="eloise", birth_date="1979-04-12")
    page = response.content.decode()
    assert f"Agent n° {case.employee_id}" in page
    assert f"{case.number} — {worker.user}" in page  # who reviews
    assert "<td>Entretiens</td>" in page
    assert NOTE not in page and "Dupont" not in page.split("</form>")[1]
    entry = AuditEntry.objects.get(action=AuditAction.SUBJECT_SEARCH)
    assert (entry.actor, entry.object_ids) == (dpo.user, [case.employee_id])


def test_a_search_for_someone_else_finds_nothing_and_is_journaled(client_as):
    full_case()
    dpo = client_as(Role.DPO)
    page = search(dpo, last_name="Dupont-Lefèvre", first_name="Éloïse", birth_date="1980-04-12")
    assert "Aucune donnée n'est détenue" in page.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.SUBJECT_SEARCH)
    assert entry.detail == {"found": False} and entry.object_ids == []


def test_no_one_but_the_dpo_may_search(client_as):
    full_case()
    response = search(client_as(Role.SOCIAL_WORKER), last_name="Dupont-Lefèvre")
    assert response.status_code == 403
