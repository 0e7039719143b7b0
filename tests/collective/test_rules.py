"""The rules of collective work: the name check, attendance, the time split, validators."""

import pytest
from django.core.exceptions import ValidationError

from polesocial.collective import rules
from tests.collective.conftest import YEAR, known_employee

# --- The name check ------------------------------------------------------------------------


@pytest.fixture
def writer(world):
    """Claire, who follows two employees of Saint-Aubin."""
    claire = world["claire"]
    known_employee(world["aubin"], "Éloïse", "Dupont-Lefèvre", followed_by=claire)
    known_employee(world["aubin"], "Martin", "Dubois", followed_by=claire)
    return claire.user


@pytest.mark.parametrize(
    "text",
    [
        "Mme Éloïse Dupont-Lefèvre se plaint de son service.",
        "eloise dupont lefevre",  # accents, hyphen and case ignored
        "ÉLOÏSE DUPONT-LEFÈVRE",
        "Dupont-Lefèvre Éloïse a été reçue.",  # last name first
        "DUPONT LEFEVRE, Eloise : arrêt long.",
        "Un conflit oppose Martin Dubois à son équipe.",
        "Voir (dubois martin).",
    ],
)
def test_the_name_check_catches_an_employee_name_in_either_order(writer, text):
    assert rules.names_found(reader=writer, texts=[text])


@pytest.mark.parametrize(
    "text",
    [
        "Les agents de la voirie signalent une surcharge depuis la réorganisation.",
        # Not whole words: "Martine" is not "Martin", "Duboisière" not "Dubois".
        "Martine Dubois a présenté le plan de formation.",
        "Martin Duboisière anime l'atelier.",
        # One name without the other is not a first-and-last name.
        "Le service de M. Dubois est concerné.",
        "Martin, de la voirie, est concerné.",
        # Both names, but apart.
        "Éloïse a rencontré l'équipe de M. Dupont-Lefèvre.",
        "",
    ],
)
def test_no_warning_without_an_employee_name(writer, text):
    assert not rules.names_found(reader=writer, texts=[text])


def test_the_name_check_reads_only_the_employees_the_writer_follows(world):
    # Silent matching: the check must not tell Claire that a colleague follows him.
    known_employee(world["brissac"], "Martin", "Dubois", followed_by=world["sophie"])
    text = "Un conflit oppose Martin Dubois à son équipe."
    assert not rules.names_found(reader=world["claire"].user, texts=[text])
    assert rules.names_found(reader=world["sophie"].user, texts=[text])


def test_the_warning_names_nothing_and_counts_nothing():
    warning = rules.NAME_WARNING
    assert "agent" in warning
    assert not any(ch.isdigit() for ch in warning)


def test_several_texts_are_checked(writer):
    texts = ["Rien à signaler.", "Suite : rappeler Martin Dubois."]
    assert rules.names_found(reader=writer, texts=texts)


# --- Attendance ----------------------------------------------------------------------------


def test_one_employer_its_attendance_is_the_total(world):
    check = rules.check_attendance(year=YEAR, total=None, shares=[(world["aubin"], 20)])
    assert (check.total, check.shares, check.errors) == (20, [20], {})
    check = rules.check_attendance(year=YEAR, total=20, shares=[(world["aubin"], None)])
    assert (check.total, check.shares, check.errors) == (20, [20], {})


def test_attendance_above_the_headcount_is_refused(world):
    check = rules.check_attendance(year=YEAR, total=51, shares=[(world["aubin"], None)])
    assert check.errors == {
        "attendance": "51 participants : c'est plus que l'effectif de Commune de Saint-Aubin "
        "en 2026 (50 agents)."
    }
    # No headcount known for that year, or for that employer: nothing to check against.
    assert not rules.check_attendance(
        year=YEAR + 1, total=500, shares=[(world["aubin"], None)]
    ).errors
    assert not rules.check_attendance(
        year=YEAR, total=900, shares=[(world["valmont"], None)]
    ).errors


def test_several_employers_add_up_and_each_stays_within_its_headcount(world):
    shares = [(world["aubin"], 60), (world["brissac"], 10)]
    check = rules.check_attendance(year=YEAR, total=None, shares=shares)
    assert check.total == 70
    assert check.share_errors == {
        0: "60 participants : c'est plus que l'effectif de Commune de Saint-Aubin en 2026 "
        "(50 agents)."
    }
    check = rules.check_attendance(
        year=YEAR, total=25, shares=[(world["aubin"], 10), (world["brissac"], 10)]
    )
    assert check.errors == {
        "attendance": "La somme des participants par employeur (20) ne correspond pas "
        "au total (25)."
    }
    check = rules.check_attendance(
        year=YEAR, total=81, shares=[(world["aubin"], None), (world["brissac"], None)]
    )
    assert "effectif cumulé" in check.errors["attendance"]
    check = rules.check_attendance(
        year=YEAR, total=10, shares=[(world["aubin"], 12), (world["brissac"], None)]
    )
    assert check.errors == {
        "attendance": "La somme des participants par employeur (12) dépasse le total (10)."
    }


def test_attendance_by_category(world):
    shares = [(world["aubin"], None)]
    assert not rules.check_attendance(
        year=YEAR, total=20, shares=shares, categories=(2, 3, 15)
    ).errors
    assert not rules.check_attendance(
        year=YEAR, total=20, shares=shares, categories=(None, 3, 15)
    ).errors
    check = rules.check_attendance(year=YEAR, total=20, shares=shares, categories=(2, 3, 5))
    assert check.errors == {
        "attendance_category_a": "La répartition par catégorie (10) ne correspond pas "
        "au total (20)."
    }
    check = rules.check_attendance(year=YEAR, total=20, shares=shares, categories=(None, 10, 15))
    assert check.errors == {
        "attendance_category_a": "La répartition par catégorie (25) dépasse le total (20)."
    }


# --- Time per employer -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "weights", "expected"),
    [
        (120, [30, 10], [90, 30]),  # pro rata to attendance
        (100, [1, 1, 1], [34, 33, 33]),  # whole minutes, the total kept, ties to the first
        (100, [None, 5, 5], [34, 33, 33]),  # an attendance missing: equal shares
        (90, [0, 0], [45, 45]),  # nobody came: equal shares
        (10, [7, 2, 1], [7, 2, 1]),
        (7, [2, 1], [5, 2]),  # 4.67 / 2.33: the larger remainder gets the minute
        (60, [12], [60]),
    ],
)
def test_split_minutes(minutes, weights, expected):
    keys = list(range(1, len(weights) + 1))
    split = rules.split_minutes(minutes, keys, weights)
    assert split == list(zip(keys, expected, strict=True))
    assert sum(m for _, m in split) == minutes


# --- Field validators ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (rules.validate_duration, -30, "La durée ne peut pas être négative."),
        (rules.validate_duration, 0, "Indiquez une durée d'au moins une minute."),
        (rules.validate_preparation, -1, "Le temps de préparation ne peut pas être négatif."),
        (rules.validate_count, -2, "Un nombre de participants ne peut pas être négatif."),
    ],
)
def test_validators_refuse_in_french(validator, value, message):
    with pytest.raises(ValidationError) as error:
        validator(value)
    assert error.value.messages == [message]
