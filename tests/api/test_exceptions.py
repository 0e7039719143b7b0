import pytest
from django.urls import reverse

from polesocial.users.enums import Role

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
