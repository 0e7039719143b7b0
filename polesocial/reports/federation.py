"""Federation: an operator's anonymised aggregates, and their regional or national synthesis.

An aggregates file (schema `polesocial.aggregates/1`) holds the exact counts of the
operator's annual report (no person, no case number, no name other than the operator's),
identified by the operator's SIREN. Merging adds the counts up; the synthesis is a report
(`polesocial.annual_report/1`, scope kind "federation") whose figures equal the report
over the union of the operators.
"""

from __future__ import annotations

from polesocial.reports.queries import resolve_scope
from polesocial.reports.report import SCHEMA, assemble, merge_figures, raw_figures

AGGREGATES_SCHEMA = "polesocial.aggregates/1"


class MergeError(ValueError):
    pass


def export_aggregates(year: int) -> dict:
    from polesocial.organisations.models import Operator

    operator = Operator.objects.order_by("pk").first()
    if operator is None or len(operator.siret or "") < 9:
        raise MergeError("L'opérateur n'a pas de SIRET : renseignez-le avant d'exporter.")
    figures = raw_figures(year, resolve_scope("operator"))
    if "hours" in figures:  # employer ids mean nothing outside the installation
        figures["hours"] = {"by_kind": figures["hours"]["by_kind"]}
    return {
        "schema": AGGREGATES_SCHEMA,
        "report_schema": SCHEMA,
        "year": year,
        "operator": {"siren": operator.siret[:9], "name": operator.name},
        "figures": figures,
    }


def merge(documents: list[dict]) -> dict:
    """The synthesis of several operators' aggregates (MergeError with a French message)."""
    if not documents:
        raise MergeError("Aucun fichier d'agrégats.")
    seen: set[tuple[str, int]] = set()
    years = set()
    for document in documents:
        if not isinstance(document, dict) or document.get("schema") != AGGREGATES_SCHEMA:
            raise MergeError(f"Schéma inattendu : {AGGREGATES_SCHEMA} est attendu.")
        if document.get("report_schema") != SCHEMA:
            raise MergeError(f"Version du bilan différente : {SCHEMA} est attendu.")
        key = (document["operator"]["siren"], document["year"])
        if key in seen:
            raise MergeError(
                f"Deux fichiers pour le même opérateur (SIREN {key[0]}) et la même année {key[1]}."
            )
        seen.add(key)
        years.add(document["year"])
    if len(years) != 1:
        raise MergeError("Les fichiers portent sur des années différentes.")
    year = years.pop()
    names = ", ".join(f"{d['operator']['name']} ({d['operator']['siren']})" for d in documents)
    figures = merge_figures([d["figures"] for d in documents])
    scope = {"kind": "federation", "id": None, "name": f"Synthèse : {names}"}
    return assemble(year, scope, figures, controlled=False)
