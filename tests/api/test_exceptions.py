import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from polesocial.billing.models import TimeEntry
from polesocial.organisations.enums import ConventionStatus
from polesocial.users.enums import Role
from tests.factories import ConventionFactory, EmployerFactory, SocialWorkerFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_api_url_answers_json_404(client_as):
    response = client_as(Role.SOCIAL_WORKER).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_a_wrong_method_answers_a_french_detail(client_as):
    response = client_as(Role.SOCIAL_WORKER).put(reverse("api:me"))
    assert response.status_code == 405
    assert "non autorisée" in response.json()["detail"]


def test_a_session_without_csrf_token_gets_a_french_403(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("api:token-list"), {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Vérification CSRF échouée")


def test_malformed_json_answers_a_french_detail(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    response = client.post(reverse("api:token-list"), "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Requête mal formée."


# A service refuses with django's ValidationError and French messages; the views call it
# bare, and the API's exception handler answers the same 400 as for a serializer's refusal.


def test_a_service_refusal_by_field_answers_a_french_400_by_field(client_as):
    client = client_as(Role.SOCIAL_WORKER)
    worker = SocialWorkerFactory(user=client.user)
    employer = EmployerFactory(team=worker.team)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    body = {"employer": employer.pk, "date": future, "minutes": 60, "kind": "management"}
    response = client.post(reverse("api:time-entry-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "La gestion de la fonction ne se rattache à aucun employeur.",
        "errors": {
            "employer": ["La gestion de la fonction ne se rattache à aucun employeur."],
            "date": ["Le temps ne se saisit pas à l'avance."],
        },
    }
    assert not TimeEntry.objects.exists()


def test_a_service_refusal_of_no_field_answers_a_french_400(client_as):
    client = client_as(Role.COUNSELLOR)
    convention = ConventionFactory(status=ConventionStatus.DRAFT)
    response = client.post(reverse("api:convention-activate", args=[convention.pk]))
    message = "Cette convention est « Brouillon » : elle ne peut pas passer à « En vigueur »."
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    convention.refresh_from_db()
    assert convention.status == ConventionStatus.DRAFT
