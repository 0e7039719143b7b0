"""Identity at rest (issue 13): the database alone does not say who is followed.

An employee's names and birth date are encrypted; silent matching and name search read
keyed blind indexes; a case keeps the birth year only. Checked on the demo's own people,
read raw with a cursor (on SQLite and on PostgreSQL, whichever DATABASE_URL names), and
through the services, the screen and the API, before and after a blind-index key rotation.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from polesocial.casework import demo as casework_demo
from polesocial.casework.management.commands.rotate_blind_index import (
    Command as RotateBlindIndex,
)
from polesocial.casework.models import Case, Employee
from polesocial.casework.services import referrals
from polesocial.casework.services.retention import retention_plan, retention_run
from polesocial.core.management.commands import demo as demo_command
from polesocial.core.text import normalise
from polesocial.directory import demo as directory_demo
from polesocial.organisations import demo as organisations_demo
from polesocial.organisations.models import SocialWorker
from polesocial.privacy.crypto import decrypt
from tests.casework.api_helpers import ids, url
from tests.conftest import sign_in
from tests.factories import EMPLOYEE_IDENTITY, EmployerFactory, SocialWorkerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.xdist_group("casework_demo"),
]

TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_-]+=*")  # a Fernet token: only the keys read it
NEW_KEY = "the-next-blind-index-key-0123456789abcdef"
OLD_KEY = "test-blind-index-key-0123456789abcdef"  # config/settings/test.py


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The case-work demo, loaded once for the module (committed, then flushed)."""
    loaders = [organisations_demo.load, directory_demo.load, casework_demo.load]
    with django_db_blocker.unblock():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo_command, "DEMO_LOADERS", loaders)
            call_command("demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def people() -> list[tuple[str, str, dt.date]]:
    """The demo's employees as the application reads them, with the keys."""
    return list(Employee.objects.values_list("last_name", "first_name", "birth_date"))


def raw_tables() -> dict[str, list[tuple]]:
    """Every row of every table, read with a cursor as from a copy of the database."""
    tables = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            tables[table] = cursor.fetchall()
    return tables


def cells(rows) -> list[str]:
    return [str(value) for row in rows for value in row if value is not None]


def test_the_demo_database_read_without_the_keys_does_not_say_who_is_followed():
    known = people()
    assert len(known) > 250
    tables = raw_tables()
    # Anywhere in the database: no full name, no former match key, no normalised name.
    telling = set()
    for last, first, birth in known:
        key = f"{normalise(last)}|{normalise(first)}|{birth.isoformat()}"
        telling |= {key, f"{last} {first}", f"{first} {last}", normalise(f"{last} {first}")}
    everything = "\n".join(text for rows in tables.values() for text in cells(rows))
    assert not [value for value in telling if value in everything]
    # In the case-work tables, outside the encrypted tokens: no name as a whole word, no
    # birth date.
    names = {normalise(name) for last, first, _ in known for name in (last, first)}
    births = {birth.isoformat() for _, _, birth in known}
    for table, rows in tables.items():
        if not table.startswith("casework_"):
            continue
        for text in cells(rows):
            if TOKEN.fullmatch(text):
                continue
            assert not names & set(normalise(text).split()), table
            assert text not in births, table
    # What is left of the birth date, on a case, is the year.
    years = {birth.year for _, _, birth in known}
    assert set(Case.objects.values_list("snapshot_birth_year", flat=True)) <= years


def test_the_employee_row_holds_tokens_and_keyed_indexes_only():
    employee = Employee.objects.order_by("pk").first()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_name, first_name, birth_date, match_key, name_words "  # noqa: S608
            f"FROM {quote('casework_employee')} WHERE id = %s",
            [employee.pk],
        )
        last, first, birth, key, words = cursor.fetchone()
    assert decrypt(last) == employee.last_name and decrypt(first) == employee.first_name
    assert decrypt(birth) == employee.birth_date.isoformat()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert re.fullmatch(r" ([0-9a-f]{64} )+", words)


# --- Search, matching ------------------------------------------------------------------------


def a_followed_person() -> Case:
    """A demo case whose employee has one first name and one last name (one word each)."""
    for case in Case.objects.select_related("employee", "worker__user").order_by("pk"):
        last, first = case.employee.last_name, case.employee.first_name
        if len(normalise(last).split()) == 1 and len(normalise(first).split()) == 1:
            return case
    raise AssertionError("no such demo case")


def found(user, text: str) -> set[int]:
    return set(Employee.objects.visible_by(user).search(text).values_list("pk", flat=True))


def check_search_and_matching(case: Case) -> None:
    """Her worker finds the person by one word or two, whole words only; recorded again
    by a worker of another team, the person is matched to the same row."""
    employee, user = case.employee, case.worker.user
    last, first = employee.last_name, employee.first_name
    assert employee.pk in found(user, last.upper())
    assert employee.pk in found(user, f"{first} {last}")
    assert employee.pk not in found(user, last[:-1])  # a whole word, not the start of one
    assert employee.pk not in found(user, f"{first} {last}x")  # every word must be there
    assert not found(SocialWorkerFactory().user, last)  # within the rows she may see
    colleague = SocialWorkerFactory()
    referral = referrals.referral_create(
        actor=None,
        employer=EmployerFactory(team=colleague.team),
        source="employer_hr",
        reason="Motif.",
        person_last_name=last,
        person_first_name=first,
    )
    referrals.referral_assign(actor=colleague.user, referral=referral, worker=colleague)
    assessment = referrals.first_assessment_record(
        actor=colleague.user,
        referral=referral,
        assessed_on=dt.date(2026, 11, 2),
        outcome="open_case",
        employee={
            **EMPLOYEE_IDENTITY,
            "last_name": f" {last.upper()} ",
            "first_name": first.lower(),
            "birth_date": employee.birth_date,
            "employer": referral.employer,
        },
    )
    assert assessment.referral.employee_id == employee.pk
    assert employee.pk in found(colleague.user, last)


def test_a_demo_person_is_found_by_one_word_or_two_and_matched_silently():
    check_search_and_matching(a_followed_person())


def test_the_case_list_finds_whole_words_and_says_so(client):
    case = a_followed_person()
    sign_in(client, case.worker.user)
    page = reverse("casework:case_list")
    response = client.get(page, {"q": case.employee.last_name})
    assert case in [row["case"] for row in response.context["rows"]]
    assert "mots entiers" in response.content.decode()
    response = client.get(page, {"q": case.employee.last_name[:-1]})
    assert case not in [row["case"] for row in response.context["rows"]]


def test_the_api_list_of_employees_is_sorted_by_name_within_the_page(api):
    worker = max(SocialWorker.objects.all(), key=lambda w: w.cases.count())
    sign_in(api.client, worker.user)
    body = api.get(url("employee-list"), {"limit": 20}).json()
    names = [(normalise(r["last_name"]), normalise(r["first_name"])) for r in body["results"]]
    assert len(names) == 20 and names == sorted(names)
    one = body["results"][0]
    assert ids(api.get(url("employee-list"), {"q": one["last_name"]})) >= {one["id"]}


# --- Rotating the blind-index key ---------------------------------------------------------


def rotate_blind_index(*args) -> str:
    out = StringIO()
    call_command("rotate_blind_index", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def raw_keys() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, match_key FROM casework_employee")
        return dict(cursor.fetchall())


def test_rotating_the_blind_index_key_keeps_matching_and_search_working():
    case = a_followed_person()
    before = raw_keys()
    with override_settings(BLIND_INDEX_KEY=NEW_KEY, BLIND_INDEX_PREVIOUS_KEY=OLD_KEY):
        # New key deployed, rows not recomputed yet: both keys are looked up.
        assert case.employee.pk in found(case.worker.user, case.employee.last_name)
        out = rotate_blind_index()
        assert f"Agents : {len(before)} index à recalculer sur {len(before)}." in out
        assert raw_keys() == before  # a dry run writes nothing
        out = rotate_blind_index("--wet-run", "--batch-size", "40")
        assert f"Agents : {len(before)} index recalculés sur {len(before)}." in out
        assert "Agents : 0 index recalculés" in rotate_blind_index("--wet-run")  # idempotent
    after = raw_keys()
    assert set(after) == set(before) and not set(after.values()) & set(before.values())
    with override_settings(BLIND_INDEX_KEY=NEW_KEY):  # the previous key removed
        check_search_and_matching(Case.objects.get(pk=case.pk))


def test_rotating_the_key_leaves_the_employees_the_retention_job_anonymised_alone():
    """The retention job, three years after the demo's reference date, anonymises the
    employees of whom nothing is left: they have no identity to index, so the rotation
    keeps their unique meaningless keys (recomputed from an empty identity, they all
    collided and the wet run stopped on the unique constraint)."""
    reference = dt.date.fromisoformat(settings.DEMO_REFERENCE_DATE)
    retention_run(plan=retention_plan(today=reference + dt.timedelta(days=3 * 365)))
    anonymised = Employee.objects.exclude(anonymised_on=None)
    assert anonymised.count() >= 2
    kept = {
        pk: key
        for pk, key in raw_keys().items()
        if pk in set(anonymised.values_list("pk", flat=True))
    }
    with override_settings(BLIND_INDEX_KEY=NEW_KEY, BLIND_INDEX_PREVIOUS_KEY=OLD_KEY):
        out = rotate_blind_index("--wet-run")
    others = Employee.objects.filter(anonymised_on=None).count()
    assert f"Agents : {others} index recalculés sur {others}." in out
    assert {pk: raw_keys()[pk] for pk in kept} == kept


def test_the_rotation_command_speaks_french():
    parser = RotateBlindIndex().create_parser("manage.py", "rotate_blind_index")
    help_text = " ".join(parser.format_help().split())
    assert "Recalcule les index aveugles des agents" in help_text
    assert "rien n'est écrit" in help_text


# --- Rotating the encryption keys (rotate_keys) covers the names and birth date ------------


def test_rotate_keys_re_encrypts_names_and_birth_dates_written_with_the_older_key():
    older = Fernet(settings.FIELD_ENCRYPTION_KEYS[1])
    employee = Employee.objects.order_by("pk").first()
    values = {
        "last_name": employee.last_name,
        "first_name": employee.first_name,
        "birth_date": employee.birth_date.isoformat(),
    }
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(
                f"UPDATE casework_employee SET {column} = %s WHERE id = %s",  # noqa: S608
                [older.encrypt(value.encode()).decode(), employee.pk],
            )
    call_command("rotate_keys", "--wet-run", stdout=StringIO(), stderr=StringIO())
    with override_settings(FIELD_ENCRYPTION_KEYS=settings.FIELD_ENCRYPTION_KEYS[:1]):
        again = Employee.objects.get(pk=employee.pk)
        assert (again.last_name, again.first_name, again.birth_date) == (
            employee.last_name,
            employee.first_name,
            employee.birth_date,
        )
        assert (
            Employee.objects.matching(
                employee.last_name, employee.first_name, employee.birth_date
            ).get()
            == again
        )
