"""Properties of the CSV imports on any file, damaged or not.

Whatever bytes an operator drops on the screen or passes to the command, the import answers
with its French report (never an exception), and the dry run announces exactly what the wet
run then does: the same errors, or the same lines written.
"""

import csv
import io
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polesocial.organisations.imports import (
    EMPLOYER_COLUMNS,
    HEADCOUNT_COLUMNS,
    ImportResult,
    decode,
    employers_import,
    headcounts_import,
)
from polesocial.organisations.models import Employer, Headcount
from tests.factories import EmployerFactory, OperatorFactory, TeamFactory, siret_with_key

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Words of the English errors of Python, Django or the database drivers, which must never
# reach an operator. Text between « » quotes the file itself and is not checked.
ENGLISH = re.compile(
    r"\b(field|expected|error|ensure|invalid|line|data|value|null|bytes|cannot|character)\b",
    re.IGNORECASE,
)


def siret(n: int) -> str:
    return siret_with_key(f"7{n:012d}")


KNOWN = [siret(1), siret(2)]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "commune",
            "EPCI",
            "CCAS / CIAS",
            "Équipe Nord",
            "2025",
            "1990",
            "1 200",
            "-3",
            "99999999999",
            "4294967296",
            *KNOWN,
            siret(3),
            siret(3)[1:],
            "1,23E+13",
            "rh@example.fr",
            "pas-un-courriel",
            '"',
            '""',
            'a"b',
            "a\x00b",
            "\r\n",
            "\r",
            ";",
            ",",
            "\t",
            "²" * 14,
        ]
    ),
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec="cp1252"), min_size=190, max_size=260),
)


@st.composite
def csv_files(draw, columns) -> bytes:
    """A file whose header mixes the import's columns with others, and lines of cells
    that may break every rule: quotes, NUL, separators, lengths, encodings."""
    names = [column.name for column in columns]
    header = draw(st.lists(st.sampled_from([*names, "autre", ""]), min_size=1, max_size=8))
    if draw(st.booleans()):
        header = list(dict.fromkeys([*names[:3], *header]))
    width = len(header)
    lines = draw(
        st.lists(
            st.lists(CELLS, min_size=max(width - 1, 0), max_size=width + 1),
            max_size=4,
        )
    )
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *lines])
        text = buffer.getvalue()
    else:
        text = "\r\n".join(delimiter.join(cells) for cells in [header, *lines])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def any_files(columns):
    return st.one_of(csv_files(columns), st.binary(max_size=300))


def assert_french_report(result: ImportResult) -> None:
    assert isinstance(result, ImportResult)
    for error in result.errors:
        text = re.sub(r"«[^»]*»", "", str(error))
        assert error.message, error
        assert not ENGLISH.search(text), str(error)


def dry_then_wet(run, data: bytes, *, from_screen: bool, rows) -> None:
    """The dry run's report, then the wet run (rolled back) agrees with it.

    The screen runs the dry run on the uploaded bytes, then the wet run on their text.
    """
    dry = run(data)
    assert_french_report(dry)
    assert not dry.written
    with transaction.atomic():
        before = rows.count()
        wet_data = decode(data) if from_screen and dry.ok else data
        wet = run(wet_data, wet_run=True)
        assert_french_report(wet)
        assert [str(e) for e in wet.errors] == [str(e) for e in dry.errors]
        assert wet.written == dry.ok
        assert (wet.created, wet.updated) == (dry.created, dry.updated)
        assert rows.count() - before == (dry.created if dry.ok else 0)
        transaction.set_rollback(True)


@pytest.fixture
def operator_with_employers():
    operator = OperatorFactory()
    TeamFactory(operator=operator, name="Équipe Nord")
    for known in KNOWN:
        EmployerFactory(operator=operator, siret=known)
    return operator


@given(data=any_files(EMPLOYER_COLUMNS), from_screen=st.booleans())
@BOUNDED
def test_employers_import_answers_any_file_in_french_and_as_announced(
    operator_with_employers, data, from_screen
):
    dry_then_wet(employers_import, data, from_screen=from_screen, rows=Employer.objects)


@given(data=any_files(HEADCOUNT_COLUMNS), from_screen=st.booleans())
@BOUNDED
def test_headcounts_import_answers_any_file_in_french_and_as_announced(
    operator_with_employers, data, from_screen
):
    dry_then_wet(headcounts_import, data, from_screen=from_screen, rows=Headcount.objects)
