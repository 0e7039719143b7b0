import json

import pytest
from django.test import RequestFactory

from polesocial.privacy.crypto import DecryptionError
from polesocial.privacy.middleware import DecryptionErrorMiddleware
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"), [("/dossiers/1/", "text/html"), ("/api/v1/x/", "application/json")]
)
def test_an_unreadable_value_gives_a_french_message_not_a_server_trace(path, content_type):
    request = RequestFactory().get(path)
    request.user = UserFactory()
    request.csp_nonce = "n"
    middleware = DecryptionErrorMiddleware(lambda r: None)
    response = middleware.process_exception(request, DecryptionError())
    assert response.status_code == 500
    assert response["Content-Type"].startswith(content_type)
    body = response.content.decode()
    text = json.loads(body)["detail"] if content_type == "application/json" else body
    assert "ne peut pas être lu" in text


def test_other_errors_are_left_to_django():
    middleware = DecryptionErrorMiddleware(lambda r: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError()) is None
