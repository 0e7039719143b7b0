"""The name search of the case list reads her matching cases once, from her own rows.

Issue 20: at national size the search timed out; the access rule made the database read
every case, and the page ran that query twice (its count, then its page).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db


def test_a_name_search_runs_its_query_once_and_finds_only_her_cases(client):
    worker, colleague = SocialWorkerFactory(), SocialWorkerFactory()
    mine = open_case_for(worker, identity={**EMPLOYEE_IDENTITY, "last_name": "Dupont-Lefèvre"})
    open_case_for(worker, identity={**EMPLOYEE_IDENTITY, "last_name": "Martin"})
    theirs = open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "last_name": "Dupont"})
    sign_in(client, worker.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("casework:case_list"), {"q": "dupont"})

    assert response.status_code == 200
    body = response.content.decode()
    assert mine.number in body
    assert theirs.number not in body
    assert "Dossiers (1)" in body
    searches = [q["sql"] for q in queries if "name_words" in q["sql"]]
    assert len(searches) == 1, searches
