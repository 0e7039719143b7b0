"""`python -m stress.prepare N FILE` (Django side): N social workers for N simulated users.

A demo account signs in with one TOTP code per 30-second step (django-otp refuses a code
already used), so 50 people cannot share the demo's four workers. The demo's workers come
first; the others are colleagues created in the same two teams, with the demo password and
a TOTP key derived from the demo seed like every demo account, and the counsellor hands
each of them a share of her team's open cases through the transfer service (audited, as in
real life). Writes the accounts, the demo password and the TOTP seed to a JSON file, read
by the locustfile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _new_worker(email: str, team, password_hash: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from polesocial.organisations.models import SocialWorker
    from polesocial.users.enums import Role
    from polesocial.users.models import User
    from polesocial.users.totp import demo_totp_key

    number = email.split("@")[0].removeprefix("ass.charge")
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": "Camille",
            "last_name": f"Charge-{number}",
            "role": Role.SOCIAL_WORKER,
            "password": password_hash,
        },
    )
    TOTPDevice.objects.get_or_create(
        user=user, name="Démo", defaults={"key": demo_totp_key(email), "confirmed": True}
    )
    worker, _ = SocialWorker.objects.get_or_create(user=user, defaults={"team": team})
    return worker


def prepare(count: int) -> list[str]:
    from django.db import transaction
    from django.db.models import Count, Q

    from polesocial.casework.models import Case
    from polesocial.casework.services.cases import case_transfer
    from polesocial.organisations.models import SocialWorker
    from polesocial.users.models import User

    demo = list(
        SocialWorker.objects.select_related("user", "team").order_by("user__email")
    )  # the demo's four, before any colleague is added
    emails = [worker.user.email for worker in demo][:count]
    password_hash = User.objects.get(email=emails[0]).password  # the demo password
    teams = sorted({worker.team for worker in demo}, key=lambda team: team.pk)
    new = []
    with transaction.atomic():
        for index in range(count - len(emails)):
            email = f"ass.charge{index + 1:02d}@demo.polesocial.fr"
            new.append(_new_worker(email, teams[index % len(teams)], password_hash))
            emails.append(email)
    for worker in new:
        counsellor = worker.team.counsellor
        team_workers = SocialWorker.objects.filter(team=worker.team).annotate(
            open_cases=Count("cases", filter=Q(cases__status="open"))
        )
        share = max(1, sum(w.open_cases for w in team_workers) // len(team_workers))
        while Case.objects.filter(worker=worker, status="open").count() < share:
            busiest = team_workers.exclude(pk=worker.pk).order_by("-open_cases", "pk").first()
            case = Case.objects.filter(worker=busiest, status="open").order_by("pk").first()
            if case is None:
                break
            case_transfer(actor=counsellor, case=case, to_worker=worker)
    return emails


def main() -> int:
    import django

    django.setup()
    from django.conf import settings

    from polesocial.core.management.commands.demo import DEMO_PASSWORD

    count, output = int(sys.argv[1]), Path(sys.argv[2])
    accounts = {
        "emails": prepare(count),
        "password": DEMO_PASSWORD,
        "seed": settings.DEMO_TOTP_SEED,
    }
    output.write_text(json.dumps(accounts, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
