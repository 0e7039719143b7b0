"""Recoding before suppression: a profile breakdown that would lose cells is published with
adjacent categories merged, on the page and in every export, and stays protected."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from polesocial.reports import exports, presentation, recoding
from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import PROFILE_PARTS, assemble, build_report, raw_figures
from tests.reports.data import YEAR, profile_figures
from tests.reports.test_disclosure import (
    BOUNDED,
    LIMIT,
    _leaves,
    assert_profile_table_protected,
    employer_figures,
)
from tests.reports.test_measure import assert_profile_protected

pytestmark = pytest.mark.django_db


def test_categories_a_and_b_are_published_together_when_each_alone_is_secret(seed_year):
    """6 A and 18 B: the fine table hides both; A + B (24) and C (566) are published."""
    report = build_report(YEAR, resolve_scope("operator"), controlled=True)
    assert report["profile"]["category"] == {"A": None, "B": None, "C": 566}
    assert report["recoding"]["profile.category"] == {
        "groups": {"A_B": ["A", "B"], "C": ["C"]},
        "values": {"A_B": 24, "C": 566},
    }
    # Tables that lose nothing stay fine, exactly as before.
    assert report["profile"]["status"] == {"titulaire": 452, "stagiaire": 32, "contractuel": 106}
    assert "profile.status" not in report["recoding"]

    table = next(t for t in presentation.tables(report) if t.key == "profile.category")
    assert [(code, label, value) for code, label, value, _ in table.rows] == [
        ("A_B", "Catégories A et B", 24),
        ("C", "Catégorie C", 566),
    ]
    assert "Catégories A et B (Catégorie A + Catégorie B)" in table.note
    rows = exports.rows(report)
    assert ["profile.category", "A_B", "Catégories A et B", 24] in rows
    assert ["profile.category", "regroupement", table.note, ""] in rows
    assert table.note in exports.pdf_html(report)
    assert table.note in render_to_string("reports/includes/table.html", {"table": table})


def test_an_internal_report_is_never_recoded(seed_year):
    report = build_report(YEAR, resolve_scope("operator"), controlled=False)
    assert report["recoding"] == {}
    assert report["profile"]["category"] == {"A": 6, "B": 18, "C": 566}


def _person_cells(report: dict, figures: dict) -> list[tuple[int, int | None]]:
    """(exact, published) for the employees followed and each profile cell as published:
    the groups of a recoded table, the fine cells otherwise."""
    cells = [(figures["employees_followed"], report["employees_followed"])]
    for part in PROFILE_PARTS:
        recoded = report["recoding"].get(f"profile.{part}")
        if recoded:
            exact = recoding.grouped(figures["profile"][part], recoded["groups"])
            cells += [(exact[g], recoded["values"][g]) for g in exact]
        else:
            published = report["profile"][part]
            cells += [(v, published[c]) for c, v in figures["profile"][part].items()]
    return cells


def test_the_demo_employer_reports_suppress_fewer_person_cells_at_equal_protection(
    monkeypatch, capsys
):
    from polesocial.organisations.models import Employer

    call_command("demo", stdout=StringIO())
    year = 2026
    all_figures = {
        employer.pk: raw_figures(year, resolve_scope("employer", employer.pk))
        for employer in Employer.objects.order_by("pk")
    }

    def share_suppressed() -> tuple[int, int]:
        suppressed = nonzero = 0
        for pk, figures in all_figures.items():
            scope = {"kind": "employer", "id": pk, "name": ""}
            report = assemble(year, scope, figures, controlled=True)
            leaves = dict(_leaves({"profile": report["profile"], **report["recoding"]}))
            assert not any(isinstance(v, int) and 1 <= v < LIMIT for v in leaves.values())
            for part in PROFILE_PARTS:
                assert_profile_table_protected(report, figures, part)
            for exact, published in _person_cells(report, figures):
                if exact > 0:
                    nonzero += 1
                    suppressed += published is None
        return suppressed, nonzero

    after = share_suppressed()
    monkeypatch.setattr(recoding, "LEVELS", {})  # every table at its finest
    before = share_suppressed()
    with capsys.disabled():
        print(
            f"\nDemo employer reports {year}, suppressed non-zero person cells: "
            f"fine {before[0]}/{before[1]} ({before[0] / before[1]:.0%}), "
            f"recoded {after[0]}/{after[1]} ({after[0] / after[1]:.0%})"
        )
    assert after[0] < before[0] and after[0] / after[1] < before[0] / before[1]


def test_the_highlights_read_the_published_groups_of_a_recoded_table():
    """Titulaires + stagiaires (28 of 40) and the 35–54 band (14) are read from the groups."""
    figures = {
        "headcount": 400,
        "employees_followed": 40,
        "cases": {"opened": 30, "closed": 12, "open_at_year_end": 28},
        "interviews": {"total": 0, "by_place": {"phone": 0}},
        "referrals": {"total": 0, "by_source": {"employee": 0}},
        "domains": {"budget": 40},
        "profile": {
            "status": {"titulaire": 20, "stagiaire": 8, "contractuel": 12},
            "category": {"A": 0, "B": 0, "C": 40},
            "family_situation": {"single": 20, "couple": 20, "single_parent": 0, "other": 0},
            "age": {"under_25": 5, "25_34": 10, "35_44": 6, "45_54": 8, "55_and_over": 11},
        },
        "orientations": {"total": 0, "by_result": {"pending": 0}},
    }
    report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    assert report["recoding"]["profile.status"]["values"] == {
        "titulaire_stagiaire": 28,
        "contractuel": 12,
    }
    assert report["recoding"]["profile.age"]["values"] == {
        "under_35": 15,
        "35_54": 14,
        "55_and_over": 11,
    }
    assert report["profile"]["age"]["55_and_over"] == 11
    highlights = dict(presentation.highlights(report))
    assert highlights["Titulaires ou stagiaires"] == "70 %"
    assert highlights["Âgés de 35 à 54 ans"] == "35 %"
    for part in PROFILE_PARTS:
        assert_profile_table_protected(report, figures, part)


def test_a_department_following_47_reads_its_total_and_three_of_four_tables():
    """The demo's department, 2026: 47 followed. Titulaires+stagiaires (38) / contractuels
    (9) would hide both; titulaires (36) / stagiaires and contractuels (11) publishes both.
    Alone / single parents / in a couple or other (15, 18, 14) publish whole; the ages split
    at 45 (22, 25). So the 47 is published, with 3 of the 4 tables (it was withheld, each
    table then hiding one group)."""
    profile = {
        "status": {"titulaire": 36, "stagiaire": 2, "contractuel": 9},
        "category": {"A": 2, "B": 6, "C": 39},
        "family_situation": {"single": 15, "couple": 13, "single_parent": 18, "other": 1},
        "age": {"under_25": 4, "25_34": 3, "35_44": 15, "45_54": 17, "55_and_over": 8},
    }
    figures = profile_figures(profile, 47)
    report = assemble(2026, {"kind": "employer", "id": 7, "name": ""}, figures, controlled=True)
    assert report["employees_followed"] == 47
    recoded = {k: v["values"] for k, v in report["recoding"].items()}
    assert recoded["profile.status"] == {"titulaire": 36, "stagiaire_contractuel": 11}
    assert recoded["profile.family_situation"] == {
        "single": 15,
        "single_parent": 18,
        "couple_other": 14,
    }
    assert recoded["profile.age"] == {"under_45": 22, "45_and_over": 25}
    assert recoded["profile.category"] == {"A_B": None, "C": None}
    assert report["profile"]["status"] == {"titulaire": 36, "stagiaire": None, "contractuel": None}
    tables = {t.key: t for t in presentation.tables(report)}
    assert [label for _, label, _, _ in tables["profile.status"].rows] == [
        "Titulaire",
        "Stagiaires et contractuels (non titulaires)",
    ]
    assert "Stagiaires et contractuels (non titulaires) (Stagiaire + Contractuel·le)" in (
        tables["profile.status"].note
    )
    assert ["profile.age", "45_and_over", "45 ans et plus", 25] in exports.rows(report)
    for part in PROFILE_PARTS:
        assert_profile_table_protected(report, figures, part)
    assert_profile_protected(report, figures)


@BOUNDED
@given(employer_figures(), st.data())
def test_every_grouping_of_the_hierarchy_publishes_nothing_small_nor_recoverable(figures, data):
    """Each level of each profile hierarchy, offered alone beside the fine table (so that
    random tables reach every one of them, not only the first that suits), protects the
    whole profile read at once: no count from 1 to 10, no hidden count narrowed below 11."""
    part = data.draw(st.sampled_from(PROFILE_PARTS))
    hierarchy = recoding.LEVELS[part]
    level = data.draw(st.sampled_from(hierarchy[1:]))
    with mock.patch.dict(recoding.LEVELS, {part: [hierarchy[0], level]}):
        report = assemble(2026, {"kind": "employer", "id": 1, "name": ""}, figures, controlled=True)
    assert_profile_protected(report, figures)
    for each in PROFILE_PARTS:
        assert_profile_table_protected(report, figures, each)
