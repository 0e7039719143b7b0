"""The casework API, employees: named by reference, found by name, shown as the reader
recorded them, at a cost that follows the page, not the caseload.
"""

import datetime as dt
from unittest import mock

import pytest

from polesocial.casework.serializers import employee_reference
from polesocial.casework.services import referrals
from polesocial.privacy.crypto import decrypt
from tests.casework.api_helpers import (
    READERS,
    assigned_referral,
    check_list_and_detail,
    ids,
    url,
)
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, SocialWorkerFactory, open_case_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", READERS)
def test_employees_by_reader(api, world, who):
    sign_in(api.client, world.reader(who))
    reference = employee_reference(world.employee.pk)
    check_list_and_detail(
        api, who, url("employee-list"), url("employee-detail", reference), reference
    )


def test_employees_are_named_by_reference_never_by_id(api, world):
    sign_in(api.client, world.worker.user)
    reference = employee_reference(world.employee.pk)
    assert ids(api.get(url("employee-list"))) == {reference}
    assert api.get(url("employee-detail", world.employee.pk)).status_code == 404
    assert api.get(url("employee-detail", reference)).json()["last_name"] == "Dupont-Lefèvre"
    filtered = api.get(url("case-list"), {"employee": reference, "status": "open"})
    assert ids(filtered) == {world.case.pk}
    assert ids(api.get(url("case-list"), {"employee": "0" * 24})) == set()
    assert ids(api.get(url("case-list"), {"status": "closed"})) == set()


@pytest.mark.parametrize("text", ["dupont lefevre", "ÉLOÏSE", "Lefèvre Éloïse", "dupont"])
def test_employee_search_ignores_accents_and_case(api, world, text):
    open_case_for(
        world.worker, identity={**EMPLOYEE_IDENTITY, "last_name": "Martin", "first_name": "Paul"}
    )
    sign_in(api.client, world.worker.user)
    assert ids(api.get(url("employee-list"), {"q": text})) == {
        employee_reference(world.employee.pk)
    }
    assert ids(api.get(url("employee-list"), {"q": "durand"})) == set()


def follow_known_people(worker, names):
    """Cases of `worker` for people a colleague met first, each with another phone."""
    colleague = SocialWorkerFactory()
    for number, name in enumerate(names):
        open_case_for(colleague, identity={**EMPLOYEE_IDENTITY, "last_name": name})
        mine = {**EMPLOYEE_IDENTITY, "last_name": name.upper(), "phone": f"06 11 22 33 {number:02}"}
        open_case_for(worker, identity=mine)


def employee_rows(api, limit):
    rows, offset = {}, 0
    while True:
        body = api.get(url("employee-list"), {"limit": limit, "offset": offset}).json()
        rows |= {row["id"]: (row["last_name"], row["phone"]) for row in body["results"]}
        if body["next"] is None:
            return rows
        offset += limit


def test_every_page_of_employees_shows_them_as_the_reader_recorded_them(api):
    """Silent matching shares the rows; the worker still reads her own spelling and phone
    on each page, the employee of an assessed referral (no case yet) included."""
    worker = SocialWorkerFactory()
    follow_known_people(worker, ["Bernard", "Durand", "Martin", "Petit", "Robert"])
    referral = assigned_referral(worker, last_name="Simon", first_name="Léa")
    referrals.first_assessment_record(
        actor=worker.user,
        referral=referral,
        assessed_on=dt.date(2026, 3, 2),
        outcome="open_case",
        employee={
            **EMPLOYEE_IDENTITY,
            "last_name": "SIMON",
            "first_name": "Léa",
            "phone": "06 99 99 99 99",
            "employer": referral.employer,
        },
    )
    sign_in(api.client, worker.user)
    paged = employee_rows(api, limit=2)
    assert paged == employee_rows(api, limit=50)  # one page holds them all
    assert sorted(paged.values()) == [
        ("BERNARD", "06 11 22 33 00"),
        ("DURAND", "06 11 22 33 01"),
        ("MARTIN", "06 11 22 33 02"),
        ("PETIT", "06 11 22 33 03"),
        ("ROBERT", "06 11 22 33 04"),
        ("SIMON", "06 99 99 99 99"),
    ]


def test_a_page_of_employees_costs_the_same_whatever_the_caseload(api, assert_queries_do_not_grow):
    """Queries and decrypted values follow the rows shown, not the worker's caseload."""
    worker = SocialWorkerFactory()
    sign_in(api.client, worker.user)
    names = iter(["Bernard", "Durand", "Martin", "Petit", "Robert", "Simon"])
    decryptions = []

    def page_of_two():
        with mock.patch("polesocial.privacy.fields.decrypt", wraps=decrypt) as spy:
            response = api.get(url("employee-list"), {"limit": 2})
        decryptions.append(spy.call_count)
        return response

    add = lambda n: follow_known_people(worker, [next(names) for _ in range(n)])  # noqa: E731
    assert_queries_do_not_grow(page_of_two, add, grows=False)
    assert len(set(decryptions)) == 1
    assert page_of_two().json()["count"] == 6
