"""Error answers in French, on the screens and on the API; the 500 page without database."""

import pytest
from django.test import RequestFactory

from polesocial.core.errors import SERVER_ERROR, server_error
from polesocial.core.logs import HEADER
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.core.error_urls")
def test_a_failure_shows_a_french_page_with_the_request_reference(client):
    sign_in(client, UserFactory())
    client.raise_request_exception = False
    response = client.get("/test-panne/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Erreur du serveur</h1>" in page
    assert response[HEADER] in page
    assert "Traceback" not in page
    assert "Dupont" not in page


@pytest.mark.urls("tests.core.error_urls")
def test_a_failure_on_the_api_answers_french_json(client):
    sign_in(client, UserFactory())
    client.raise_request_exception = False
    response = client.get("/api/v1/test-panne/")
    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_ERROR, "reference": response[HEADER]}


def test_the_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/dossiers/1/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Erreur interne du serveur" in response.content.decode()


def test_a_body_too_large_shows_a_french_413_page(client):
    response = client.post("/connexion/", {"x": "a" * 3_000_000})
    assert response.status_code == 413
    page = response.content.decode()
    assert "<h1>Requête trop volumineuse</h1>" in page
    assert "2,5 Mo au plus" in page


def test_too_many_fields_shows_a_french_400_page(client):
    response = client.post("/connexion/", {f"champ{n}": "x" for n in range(1100)})
    assert response.status_code == 400
    assert "<h1>Requête refusée</h1>" in response.content.decode()


def test_an_upload_over_the_request_limit_is_refused_in_french_before_it_is_read(client):
    sign_in(client, UserFactory())
    announced = str(20 * 2**20)  # a 20 MB file: refused from its Content-Length alone
    response = client.generic(
        "POST",
        "/connexion/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=announced,
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux : 12 Mo au plus" in response.content.decode()
    api = client.generic("POST", "/api/v1/saisines/", b"x", CONTENT_LENGTH=announced)
    assert api.status_code == 413
    assert api.json()["detail"].startswith("Envoi trop volumineux")
