"""The purposes of the scope table decided once for every screen and service that asks:
the teams a user manages, the teams whose counsellor's interim she names, the teams she
leads for their queue, caseloads, plan against actual and reports, the employers she sends
a referral about, the workers and employers whose reports she opens, the workers whose
agenda she reads, the workers and the employers she books for (privacy.scopes VIEW_SCOPES,
read through `privacy.access.rows_for`). Every role, who gets what.

The setting: teams A (counsellor, deputy, two workers, an employer, a secretary) and B
(counsellor, a worker, an employer). B's counsellor holds A's counsellor's interim today;
an earlier interim of A has ended. A's first worker replaces B's worker today.
"""

import datetime as dt

import pytest
from django.utils import timezone

from polesocial.appointments.models import SecretaryTeam
from polesocial.organisations.models import (
    CounsellorInterim,
    Employer,
    Replacement,
    SocialWorker,
    Team,
)
from polesocial.privacy.access import rows_for
from polesocial.users.enums import Role
from tests.factories import EmployerFactory, SocialWorkerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> dict:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    team_a = TeamFactory(name="A", deputy=UserFactory(role=Role.COUNSELLOR))
    team_b = TeamFactory(name="B", operator=team_a.operator)
    people: dict = {
        "team A": team_a,
        "team B": team_b,
        "counsellor A": team_a.counsellor,
        "deputy A": team_a.deputy,
        "counsellor B": team_b.counsellor,
        "admin": UserFactory(role=Role.ADMIN),
        "secretary A": UserFactory(role=Role.SECRETARY),
        "secretary of none": UserFactory(role=Role.SECRETARY),
        "worker A1": SocialWorkerFactory(team=team_a),
        "worker A2": SocialWorkerFactory(team=team_a),
        "worker B": SocialWorkerFactory(team=team_b),
        "employer A": EmployerFactory(team=team_a, operator=team_a.operator),
        "employer B": EmployerFactory(team=team_b, operator=team_a.operator),
        "employer contact": UserFactory(role=Role.EMPLOYER_CONTACT),
        "physician B": UserFactory(role=Role.PHYSICIAN),
        "dpo": UserFactory(role=Role.DPO),
        "billing": UserFactory(role=Role.BILLING),
    }
    SecretaryTeam.objects.create(secretary=people["secretary A"], team=team_a)
    people["employer contact"].employers.add(people["employer A"])
    people["physician B"].employers.add(people["employer B"])
    counsellor_b, admin = people["counsellor B"], people["admin"]
    CounsellorInterim.objects.create(
        team=team_b, absent=counsellor_b, interim=people["deputy A"],
        starts_on=today - 9 * day, ends_on=today - 2 * day, created_by=admin,
    )  # fmt: skip
    CounsellorInterim.objects.create(
        team=team_a, absent=team_a.counsellor, interim=counsellor_b,
        starts_on=today - day, ends_on=today + day, created_by=admin,
    )  # fmt: skip
    Replacement.objects.create(
        absent=people["worker B"], replacing=people["worker A1"],
        starts_on=today, ends_on=today, created_by=team_b.counsellor,
    )  # fmt: skip
    return people


def _user(setting: dict, who: str):
    person = setting[who]
    return person.user if isinstance(person, SocialWorker) else person


def _names(setting: dict, rows) -> set[str]:
    keys = {(type(obj), obj.pk): name for name, obj in setting.items()}
    return {keys[type(row), row.pk] for row in rows}


# Who gets what, for every role (a role not named gets nothing).
MANAGED = {
    "admin": {"team A", "team B"},
    "counsellor A": {"team A"},
    "deputy A": {"team A"},  # her interim of B has ended
    "counsellor B": {"team A", "team B"},  # B's own, and A's held in interim today
    "worker A1": set(),
    "secretary A": set(),
    "employer contact": set(),
    "dpo": set(),
    "billing": set(),
}
INTERIMS = {
    "admin": {"team A", "team B"},
    "counsellor A": {"team A"},
    "deputy A": {"team A"},
    "counsellor B": {"team B"},  # an interim does not name another
    "worker A1": set(),
    "secretary A": set(),
    "employer contact": set(),
    "dpo": set(),
}
# The teams she leads for their own work (queue, caseloads, plan against actual, reports):
# the teams she manages, but never the administrator's. An interim has the team's
# counsellor's powers while it runs (docs/architecture.md §15), the plan and reports too.
LED = {**MANAGED, "admin": set()}
REFERRAL_EMPLOYERS = {
    "employer contact": {"employer A"},
    "physician B": {"employer B"},
    "worker A1": {"employer A"},  # her team's, not the replaced colleague's
    "worker B": {"employer B"},
    "secretary A": {"employer A", "employer B"},  # intake by phone, for any employer
    "counsellor A": {"employer A"},
    "deputy A": {"employer A"},
    "counsellor B": {"employer A", "employer B"},  # A's held in interim today
    "admin": set(),
    "dpo": set(),
    "billing": set(),
}
REPORT_WORKERS = {
    "worker A1": {"worker A1"},  # her own, not whom she replaces
    "worker B": {"worker B"},
    "counsellor A": {"worker A1", "worker A2"},
    "deputy A": {"worker A1", "worker A2"},  # her interim of B has ended
    "counsellor B": {"worker A1", "worker A2", "worker B"},
    "admin": set(),
    "secretary A": set(),
    "employer contact": set(),
    "dpo": set(),
}
REPORT_EMPLOYERS = {
    "employer contact": {"employer A"},
    "counsellor A": {"employer A"},
    "deputy A": {"employer A"},
    "counsellor B": {"employer A", "employer B"},
    "physician B": set(),  # sends referrals about it, reads no report
    "worker A1": set(),
    "secretary A": set(),
    "admin": set(),
    "billing": set(),
}
BOOKING_WORKERS = {
    "worker A1": {"worker A1"},  # herself only, not whom she replaces
    "worker A2": {"worker A2"},
    "worker B": {"worker B"},
    "secretary A": {"worker A1", "worker A2"},
    "secretary of none": set(),
    "counsellor A": set(),
    "admin": set(),
    "employer contact": set(),
}
# The agenda a worker reads adds whom she replaces today; a secretary's is whom she books for.
AGENDA = {**BOOKING_WORKERS, "worker A1": {"worker A1", "worker B"}}
BOOKING_EMPLOYERS = {
    "worker A1": {"employer A"},  # her team's, not the replaced colleague's
    "worker B": {"employer B"},
    "secretary A": {"employer A"},
    "secretary of none": set(),
    "counsellor A": set(),  # reads every employer, books for none
    "admin": set(),
    "employer contact": set(),
}


# (what the rule answers, its purpose, the model, who gets what)
RULES = (
    ("teams a user manages", "managed", Team, MANAGED),
    ("teams whose counsellor's interim a user names", "interims", Team, INTERIMS),
    ("teams a user leads for their own work", "led", Team, LED),
    ("employers a user sends a referral about", "referral", Employer, REFERRAL_EMPLOYERS),
    ("workers whose report a user opens", "report", SocialWorker, REPORT_WORKERS),
    ("employers whose report a user opens", "report", Employer, REPORT_EMPLOYERS),
    ("workers whose agenda a user reads", "agenda", SocialWorker, AGENDA),
    ("workers a user books for", "booking", SocialWorker, BOOKING_WORKERS),
    ("employers a user books for", "booking", Employer, BOOKING_EMPLOYERS),
)


@pytest.mark.parametrize(
    ("purpose", "model", "who", "expected"),
    [
        pytest.param(purpose, model, who, expected, id=f"{question}: {who}")
        for question, purpose, model, table in RULES
        for who, expected in table.items()
    ],
)
def test_each_purpose_gives_each_role_its_rows_and_no_other(setting, purpose, model, who, expected):
    assert _names(setting, rows_for(purpose, model, _user(setting, who))) == expected


def test_an_inactive_account_or_nobody_gets_no_row(setting):
    admin = setting["admin"]
    admin.is_active = False
    assert not rows_for("managed", Team, admin).exists()
    assert not rows_for("managed", Team, None).exists()


def test_a_narrowed_queryset_stays_narrowed(setting):
    """`rows_for` applies the rule on the rows it is given (here, one team only)."""
    admin = setting["admin"]
    only_b = Team.objects.filter(pk=setting["team B"].pk)
    assert _names(setting, rows_for("managed", only_b, admin)) == {"team B"}
