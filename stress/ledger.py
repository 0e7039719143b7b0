"""`python -m stress.ledger FILE` (Django side): the crash drill's ledger against the database.

Every write the server acknowledged must be there with the values sent; every time entry
written during the drill must be whole — with exactly one journal row `time_entry.create`,
and no journal row may name an entry that is not there. Writes committed whose answer
was lost in the crash are counted (a retry would duplicate them: issue 12, item 4).
Prints French lines; exits 1 with the list of what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter


def check(ledger: dict) -> tuple[list[str], list[str]]:
    from polesocial.billing.models import TimeEntry
    from polesocial.privacy.models import AuditEntry

    since = dt.datetime.fromisoformat(ledger["since"])
    acknowledged = {row["id"]: row for row in ledger["acknowledged"]}
    emails = {row["email"] for row in acknowledged.values()}
    entries = {
        entry.pk: entry
        for entry in TimeEntry.objects.filter(
            created_at__gte=since, created_by__email__in=emails, source="manual"
        ).select_related("worker__user")
    }
    journal = Counter(
        object_id
        for ids in AuditEntry.objects.filter(
            action="time_entry.create", created_at__gte=since
        ).values_list("object_ids", flat=True)
        for object_id in ids
    )
    problems = []
    for pk, sent in acknowledged.items():
        entry = entries.get(pk)
        if entry is None:
            problems.append(f"écriture acquittée absente : temps n° {pk}")
            continue
        found = {
            "date": entry.date.isoformat(),
            "minutes": entry.minutes,
            "kind": entry.kind,
            "email": entry.worker.user.email,
        }
        if any(found[key] != sent[key] for key in found) or entry.employer_id is not None:
            problems.append(f"temps n° {pk} différent de ce qui a été envoyé : {found}")
    for pk in entries:
        if journal[pk] != 1:
            problems.append(f"temps n° {pk} avec {journal[pk]} entrée(s) au journal au lieu d'une")
    orphans = [pk for pk in journal if pk not in entries]
    if orphans:
        problems.append(f"entrées du journal sans leur temps : {sorted(orphans)[:10]}")
    lost_answers = len(set(entries) - set(acknowledged))
    lines = [
        f"{len(acknowledged)} écritures acquittées toutes présentes et identiques",
        f"{len(entries)} temps écrits pendant l'exercice, chacun entier (avec son entrée "
        "au journal)",
        f"{lost_answers} écriture(s) enregistrée(s) dont la réponse s'est perdue dans la panne",
    ]
    return lines, problems


def main() -> int:
    import django

    django.setup()
    with open(sys.argv[1], encoding="utf-8") as ledger_file:
        lines, problems = check(json.load(ledger_file))
    if problems:
        print("Registre et base en désaccord :", file=sys.stderr)
        for problem in problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
