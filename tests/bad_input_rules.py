"""Per-URL knowledge for tests/test_bad_input.py, where the URL × role matrix is not enough.

Most URLs need nothing here: the role is the matrix's first role that may use the URL, the
object is the matrix builder's, the fields come from the forms the view builds (or from the
OpenAPI schema) and their valid values are made up by kind. A rule says what cannot be
guessed: valid values a made-up one would not pass (a SIRET, a one-time code), ids of the
user's own objects, an object in the state the action needs (a closed case to reopen), who
writes through an API collection (its matrix row is a read), the inputs a view reads
without a form.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from polesocial.api.enums import ApiTokenKind
from polesocial.api.services import api_token_create
from polesocial.casework.models import PlanObjective, Referral
from polesocial.casework.services.cases import case_close
from polesocial.casework.services.records import objective_add
from polesocial.casework.services.referrals import consent_record, first_assessment_record
from polesocial.collective.models import CollectiveAction
from polesocial.notifications.models import Notification
from polesocial.organisations.models import Employer, Operator
from polesocial.reports.federation import export_aggregates
from polesocial.users.enums import Role
from polesocial.users.models import User
from polesocial.users.sign_in_steps import PENDING_USER
from tests import bad_input_values as values
from tests.factories import (
    EMPLOYEE_IDENTITY,
    PASSWORD,
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    PartnerFactory,
    SocialWorkerFactory,
    TeamFactory,
    TotpDeviceFactory,
    UserFactory,
    open_case_for,
    siret_with_key,
)
from tests.url_rows import ANON, casework_cases, casework_referrals, collective, privacy

R = Role
DAY = "2026-03-02"  # after the builders' cases opened, before today in every test run


@dataclass(frozen=True)
class Rule:
    # Who posts: a Role, or ANON; None: the matrix's first role that may use the URL.
    role: object = None
    # URL kwargs for an object the user may act on: callable(user) -> dict.
    builder: Callable | None = None
    # Valid values the made-up ones would not pass: callable(user, kwargs) -> dict.
    base: Callable | None = None
    # Inputs the view reads without a form, or a form field's real kind: name -> kind.
    fields: dict = field(default_factory=dict)
    # Inputs read from the query string: name -> kind (valid values in `base`).
    query: dict = field(default_factory=dict)
    # Ids of objects of the right type the user may not use: callable(user) -> {name: id}.
    foreign: Callable | None = None
    # Something to do with the client before posting: callable(client, user, kwargs).
    setup: Callable | None = None
    # More bad payloads, the URL's own: callable(user) -> [(label, data, must refuse)].
    more: Callable | None = None
    # Tables a refusal writes to on purpose (a failed sign-in is recorded).
    writes_on_refusal: frozenset = frozenset()
    # The refusal a page shows other than as form errors: callable(response) -> messages.
    report: Callable | None = None


# --- Objects ---------------------------------------------------------------------------


def _worker(user):
    """The signed-in social worker's employment record."""
    return getattr(user, "social_worker", None) or SocialWorkerFactory(user=user)


def _team_employer(user):
    return EmployerFactory(team=_worker(user).team)


def _led_team(user):
    """A team the signed-in counsellor leads, with two workers."""
    team = TeamFactory(counsellor=user)
    SocialWorkerFactory.create_batch(2, team=team)
    return team


def _own_case(user):
    return casework_cases._case_for(user)


def _closed_case(user):
    case = _own_case(user)
    case_close(actor=user, case=case, closed_on=case.opened_on, reason="other")  # its closure
    return case


def _others_case():
    return open_case_for(SocialWorkerFactory())


def _objective(case):
    return objective_add(actor=case.worker.user, case=case, title="Objectif")


def _assessed(user):
    """A referral of hers whose first assessment opens a case (no consent yet)."""
    referral = Referral.objects.get(pk=casework_referrals._hers(user)["pk"])
    first_assessment_record(
        actor=user,
        referral=referral,
        assessed_on=dt.date.fromisoformat(DAY),
        outcome="open_case",
        employee={**EMPLOYEE_IDENTITY, "employer": referral.employer},
    )
    referral.refresh_from_db()
    return referral


def _consented(user):
    referral = _assessed(user)
    consent = consent_record(
        actor=user,
        employee=referral.employee,
        given_on=dt.date.fromisoformat(DAY),
        form="oral",
        referral=referral,
    )
    return referral, consent


def _convention(**fields):
    return {"pk": ConventionFactory(**fields).pk}


def _totp_code(user) -> str:
    device = TOTPDevice.objects.filter(user=user).order_by("-pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _identity(employer_pk) -> dict:
    return {
        "last_name": "Dupont-Lefèvre",
        "first_name": "Éloïse",
        "birth_date": "1979-04-12",
        "sex": "F",
        "status": "titulaire",
        "category": "C",
        "family_situation": "single_parent",
        "children_count": "2",
        "employer": employer_pk,
    }


def _csv(*lines: str) -> values.Upload:
    return values.Upload("import.csv", "\n".join(lines).encode(), "text/csv")


def _csv_payloads(header: str, *rows: str) -> list:
    return [(label, {"file": _csv(header, row)}, True) for label, row in rows]


def _aggregates(user, kwargs):
    OperatorFactory()
    Operator.objects.update(siret="20000000000018")
    document = json.dumps(export_aggregates(2025)).encode()
    return {"files": values.Upload("agregats.json", document, "application/json")}


def _others_ids(user) -> dict:
    """Ids of objects of another worker, team and employer, for the API's id fields."""
    case = _others_case()
    return {
        "case": case.pk,
        "consent": case.consent_id,
        "objective": _objective(case).pk,
        "worker": case.worker_id,
        "employer": EmployerFactory().pk,
        "team": TeamFactory().pk,
    }


# --- Sign-in and account pages --------------------------------------------------------------


def _anyone(user):
    return {"_user": UserFactory().pk}


def _password(user, kwargs):
    return {"email": User.objects.get(pk=kwargs.pop("_user")).email, "password": PASSWORD}


def _pending(enrolled: bool):
    def builder(user):
        return {"_user": UserFactory().pk}

    def setup(client, user, kwargs):
        """The session between the password and the second factor."""
        pending = User.objects.get(pk=kwargs["_user"])
        if enrolled:
            TotpDeviceFactory(user=pending)
        session = client.session
        session[PENDING_USER] = pending.pk
        session.save()
        if not enrolled:  # the page makes the device to enrol
            client.get(reverse("users:totp_enrol"))

    def base(user, kwargs):
        return {"code": _totp_code(User.objects.get(pk=kwargs.pop("_user")))}

    return {"builder": builder, "setup": setup, "base": base}


def _reset_link(user):
    account = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    return {
        "uidb64": uid,
        "token": "set-password",
        "_token": default_token_generator.make_token(account),
    }


def _open_reset_link(client, user, kwargs):
    token = kwargs.pop("_token")
    client.get(reverse("users:password_reset_confirm", args=[kwargs["uidb64"], token]))


NEW_PASSWORD = {
    "new_password1": "une longue phrase de passe 2026",
    "new_password2": "une longue phrase de passe 2026",
}
SIGN_IN_FAILURES = frozenset({"users.loginattempt"})
# The public page counts every submission against its address (rate limit).
PUBLIC_PAGE_SUBMISSIONS = frozenset({"casework.selfreferralattempt"})


def _an_adviser(user, kwargs):
    return {"adviser": UserFactory(role=Role.MOBILITY_ADVISER).pk}


def _not_an_adviser(user):
    return {"adviser": UserFactory(role=Role.SOCIAL_WORKER).pk}


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _api_handoff(user, kwargs):
    """Her case whose consent covers the mobility adviser, and an adviser."""
    from tests.url_rows.casework_mobility import _case_with_consent

    return {"case": _case_with_consent(user).pk, **_an_adviser(user, kwargs)}


def _api_not_hers(user):
    return {"case": _others_case().pk, **_not_an_adviser(user)}


def _member_employer(user):
    """An employer with a convention in force, offered by the public page."""
    return {"_employer": ConventionFactory(active=True).employer.pk}


def _self_referral(user, kwargs):
    return {"employer": kwargs.pop("_employer"), "site_web": ""}


def _own_token(user):
    token, _key = api_token_create(
        actor=user, user=user, name="Outil", kind=ApiTokenKind.PERSONAL, days=30
    )
    return {"pk": token.pk}


def _own_notification(user):
    return {"pk": Notification.objects.create(recipient=user, title="Nouvelle saisine").pk}


USERS = {
    "users:login": Rule(
        role=ANON, builder=_anyone, base=_password, writes_on_refusal=SIGN_IN_FAILURES
    ),
    "users:totp_verify": Rule(role=ANON, writes_on_refusal=SIGN_IN_FAILURES, **_pending(True)),
    "users:totp_enrol": Rule(role=ANON, writes_on_refusal=SIGN_IN_FAILURES, **_pending(False)),
    "users:password_reset": Rule(role=ANON),
    "casework:handoff_create": Rule(base=_an_adviser, foreign=_not_an_adviser),
    "api:handoff-list": Rule(role=R.SOCIAL_WORKER, base=_api_handoff, foreign=_api_not_hers),
    # The builder's hand-off was made today: a follow-up is dated between it and today.
    "api:handoff-follow-up": Rule(base=lambda user, kwargs: {"occurred_on": _today()}),
    "casework:self_referral": Rule(
        role=ANON,
        builder=_member_employer,
        base=_self_referral,
        writes_on_refusal=PUBLIC_PAGE_SUBMISSIONS,
    ),
    "users:password_reset_confirm": Rule(
        role=ANON,
        builder=_reset_link,
        setup=_open_reset_link,
        base=lambda user, kwargs: NEW_PASSWORD,
    ),
    "users:account_password": Rule(
        role=R.SOCIAL_WORKER, base=lambda user, kwargs: {"old_password": PASSWORD, **NEW_PASSWORD}
    ),
    "tokens:list": Rule(base=lambda user, kwargs: {"otp_code": _totp_code(user)}),
    "tokens:revoke": Rule(role=R.SOCIAL_WORKER, builder=_own_token),
    "notifications:read": Rule(role=R.SOCIAL_WORKER, builder=_own_notification),
    "api:token-list": Rule(
        role=R.SOCIAL_WORKER,
        base=lambda user, kwargs: {"name": "Outil", "days": 30, "otp_code": _totp_code(user)},
    ),
}


# --- Organisations ---------------------------------------------------------------------------


def _employer_fields(user, kwargs):
    OperatorFactory()  # an installation has one (its absence: tests/organisations)
    return {
        "siret": siret_with_key("2109900000001"),
        "postcode": "10000",
        "hr_contact_phone": "03 25 00 00 00",
    }


def _employer_detail_fields(user, kwargs):
    return {"siret": Employer.objects.get(pk=kwargs["pk"]).siret, "city": "Troyes"}


# A one-pixel PNG: the operator's logo accepts images only.
LOGO = values.Upload(
    "logo.png",
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    ),
    "image/png",
)
IBAN = "FR76 3000 6000 0112 3456 7890 189"


def _operator_fields(user, kwargs):
    return {"siret": siret_with_key("2109900000001"), "phone": "03 25 00 00 00", "logo": LOGO}


def _operator_billing(user, kwargs):
    OperatorFactory()  # bank details belong to an operator already set up
    return {
        "iban": IBAN,
        "bic": "AGRIFRPP",
        "payment_terms": "À 30 jours",
        "legal_form": "public_body",
    }


def _team_fields(user, kwargs):
    if "pk" in kwargs:
        from polesocial.organisations.models import Team

        return {"counsellor": Team.objects.get(pk=kwargs["pk"]).counsellor_id, "deputy": ""}
    OperatorFactory()  # a team belongs to the installation's operator
    return {"counsellor": UserFactory(role=Role.COUNSELLOR).pk, "deputy": ""}


def _social_worker_fields(user, kwargs):
    account = UserFactory(role=Role.SOCIAL_WORKER)
    return {"user": account.pk, "team": TeamFactory().pk, "fte": "0.8"}


def _team_close(user, kwargs):
    return {"closed_on": "2026-12-01", "confirm": "on"}


def _worker_record(user, kwargs):
    from polesocial.organisations.models import SocialWorker

    worker = SocialWorker.objects.get(pk=kwargs["pk"])
    return {"team": worker.team_id, "fte": "0.8", "starts_on": "2026-01-01"}


def _interim(user, kwargs):
    team = TeamFactory()
    return {
        "team": team.pk,
        "interim": UserFactory(role=Role.COUNSELLOR).pk,
        "starts_on": "2026-07-01",
        "ends_on": "2026-07-31",
    }


def _headcount(user, kwargs):
    parts = ("titulaire", "stagiaire", "contractuel", "category_a", "category_b", "category_c")
    return {"year": "2025", "total": "3"} | dict.fromkeys(parts, "1")


def _replacement(user, kwargs):
    absent, replacing = _led_team(user).workers.order_by("pk")
    starts = timezone.localdate() + dt.timedelta(days=7)
    return {
        "absent": absent.pk,
        "replacing": replacing.pk,
        "starts_on": starts.isoformat(),
        "ends_on": (starts + dt.timedelta(days=14)).isoformat(),
    }


def _fte_share(user, kwargs):
    team = _led_team(user)
    employer = EmployerFactory(team=team)
    return {
        "worker": team.workers.first().pk,
        "employer": employer.pk,
        "share": "0,5",
        "annee": "2026",
    }


def _convention_body(user, kwargs):
    return {
        "employer": EmployerFactory().pk,
        "billing_mode": "hourly",
        "hourly_rate": "60.00",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
    }


def _led_worker_and_employer(user, kwargs):
    team = _led_team(user)
    return {
        "worker": team.workers.first().pk,
        "employer": EmployerFactory(team=team).pk,
        "year": 2026,
        "share": "0.5",
    }


def _import_errors(response) -> list[str]:
    """The dry run's refusal: its line-by-line report."""
    result = response.context and response.context.get("result")
    return [error.message for error in result.errors] if result else []


EMPLOYER_CSV = "nom;nature;siret"
HEADCOUNT_CSV = "siret;annee;effectif_total"


def _employer_csv(user, kwargs):
    OperatorFactory()
    return {
        "file": _csv(EMPLOYER_CSV, f"Mairie de Troyes;commune;{siret_with_key('2109900000002')}")
    }


def _headcount_csv(user, kwargs):
    return {"file": _csv(HEADCOUNT_CSV, f"{EmployerFactory().siret};2025;120")}


def _employer_rows(user):
    return _csv_payloads(
        EMPLOYER_CSV,
        ("CSV : SIRET en lettres", "Mairie;commune;abc"),
        ("CSV : nature inconnue", "Mairie;inconnu;21099000000028"),
        ("CSV : nom de 10 000 caractères", f"{values.LONG};commune;21099000000028"),
        ("CSV : octet NUL", f"{values.NUL};commune;21099000000028"),
    )


def _headcount_rows(user):
    siret = EmployerFactory().siret
    return _csv_payloads(
        HEADCOUNT_CSV,
        ("CSV : année énorme", f"{siret};{values.HUGE};120"),
        ("CSV : effectif énorme", f"{siret};2025;{values.HUGE}"),
        ("CSV : effectif 1e309", f"{siret};2025;1e309"),
        ("CSV : effectif négatif", f"{siret};2025;-1"),
        ("CSV : effectif en lettres", f"{siret};2025;douze"),
        ("CSV : SIRET absent", "21099000000036;2025;120"),
        ("CSV : octet NUL", f"{siret};2025;1{values.NUL}"),
    )


ORGANISATIONS = {
    "organisations:employer_create": Rule(base=_employer_fields),
    "organisations:headcount_set": Rule(base=_headcount),
    "organisations:operator_edit": Rule(base=_operator_fields),
    "organisations:operator_billing": Rule(base=_operator_billing),
    "organisations:team_create": Rule(base=_team_fields),
    "organisations:team_update": Rule(base=_team_fields),
    "organisations:social_worker_create": Rule(base=_social_worker_fields),
    "organisations:social_worker_update": Rule(role=R.ADMIN, base=_worker_record),
    "organisations:team_close": Rule(base=_team_close),
    "organisations:interim_list": Rule(role=R.ADMIN, base=_interim),
    "organisations:convention_activate": Rule(
        builder=lambda user: _convention(status="signed", signed_on=dt.date(2025, 12, 15))
    ),
    "organisations:convention_terminate": Rule(builder=lambda user: _convention(active=True)),
    "organisations:convention_scan": Rule(builder=lambda user: _convention(active=True)),
    "organisations:amendment_create": Rule(
        builder=lambda user: _convention(active=True),
        base=lambda user, kwargs: {
            "signed_on": "2026-06-15",
            "effective_from": "2026-07-01",
            "hourly_rate": "61,37",
            "reason": "Revalorisation du taux horaire",
        },
    ),
    "organisations:replacement_list": Rule(base=_replacement),
    "organisations:fte_share_set": Rule(
        role=R.COUNSELLOR,
        base=_fte_share,
        fields={"worker": values.ID, "employer": values.ID},
        query={"annee": values.NUMBER},
    ),
    "organisations:employer_import": Rule(
        base=_employer_csv, more=_employer_rows, report=_import_errors
    ),
    "organisations:headcount_import": Rule(
        base=_headcount_csv, more=_headcount_rows, report=_import_errors
    ),
    "api:employer-list": Rule(role=R.COUNSELLOR, base=_employer_fields),
    "api:employer-detail": Rule(role=R.COUNSELLOR, base=_employer_detail_fields),
    "api:convention-list": Rule(role=R.COUNSELLOR, base=_convention_body),
    "api:convention-detail": Rule(role=R.COUNSELLOR),
    "api:convention-activate": Rule(
        builder=lambda user: _convention(status="signed", signed_on=dt.date(2025, 12, 15))
    ),
    "api:convention-terminate": Rule(builder=lambda user: _convention(active=True)),
    "api:convention-amend": Rule(
        builder=lambda user: _convention(active=True),
        base=lambda user, kwargs: {
            "signed_on": "2026-06-15",
            "effective_from": "2026-07-01",
            "hourly_rate": "61.37",
            "reason": "Revalorisation du taux horaire",
        },
    ),
    "api:headcount-list": Rule(
        role=R.COUNSELLOR,
        base=lambda user, kwargs: {"employer": EmployerFactory().pk, "year": 2025, "total": 3},
    ),
    # The counsellor reads every employer and worker (privacy.scopes): no one else's ids.
    "api:fte-share-list": Rule(role=R.COUNSELLOR, base=_led_worker_and_employer),
}


# --- Casework --------------------------------------------------------------------------------


def _case_with_objective(user):
    case = _own_case(user)
    _objective(case)
    return {"pk": case.pk}


def _case_with_partner(user):
    PartnerFactory()
    return {"pk": _own_case(user).pk}


def _case_with_colleague(user):
    case = _own_case(user)
    SocialWorkerFactory(team=case.worker.team)
    return {"pk": case.pk}


def _objective_status(user, kwargs):
    objective = PlanObjective.objects.filter(case_id=kwargs["pk"]).get()
    return {"kind": "objective", "id": objective.pk, "status": "done"}


def _others_objective(user):
    return {"id": _objective(_others_case()).pk}


def _assessment(user, kwargs):
    referral = Referral.objects.get(pk=kwargs["pk"])
    return {
        "assessed_on": DAY,
        "outcome": "open_case",
        "notes": "",
        **_identity(referral.employer_id),
    }


def _caseload(user, kwargs):
    leaving, taking = _led_team(user).workers.order_by("pk")
    open_case_for(leaving)
    return {"from_worker": leaving.pk, "to_worker": taking.pk}


def _referral_employer(user):
    _team_employer(user)
    return {}


def _assignable(user):
    kwargs = casework_referrals._in_her_queue(user)
    SocialWorkerFactory(team=Referral.objects.get(pk=kwargs["pk"]).employer.team)
    return kwargs


def _api_referral(user, kwargs):
    return {
        "employer": _team_employer(user).pk,
        "source": "employee",
        "reason": "Motif",
        "person_last_name": "Agent",
        "person_first_name": "Anonyme",
    }


def _api_assessment(user, kwargs):
    identity = _identity(Referral.objects.get(pk=kwargs["pk"]).employer_id)
    identity["children_count"] = 2
    return {"assessed_on": DAY, "outcome": "open_case", "employee": identity}


def _api_case(user, kwargs):
    _referral, consent = _consented(user)
    return {"consent": consent.pk, "domains": ["budget"]}


def _api_case_record(**fields):
    def base(user, kwargs):
        return {"case": _own_case(user).pk, **fields}

    return base


def _api_orientation(user, kwargs):
    return {
        "case": _own_case(user).pk,
        "partner": PartnerFactory().pk,
        "oriented_on": DAY,
        "purpose": "Logement",
    }


def _api_action(user, kwargs):
    return {"objective": _objective(_own_case(user)).pk, "description": "Appeler la CAF"}


CASE = R.SOCIAL_WORKER
CASEWORK = {
    "casework:action_add": Rule(builder=_case_with_objective),
    "casework:orientation_add": Rule(builder=_case_with_partner),
    "casework:plan_item_status": Rule(
        builder=_case_with_objective,
        base=_objective_status,
        fields={"id": values.ID},
        foreign=_others_objective,
    ),
    "casework:case_reopen": Rule(builder=lambda user: {"pk": _closed_case(user).pk}),
    "casework:case_transfer": Rule(role=CASE, builder=_case_with_colleague),
    # A made-up date is today's: no employee is born today (a plausible age is needed).
    "casework:identity_correct": Rule(
        base=lambda user, kwargs: {"identite-birth_date": "1979-04-21"}
    ),
    "casework:referral_assess": Rule(role=CASE, builder=casework_referrals._hers, base=_assessment),
    "casework:referral_consent": Rule(builder=lambda user: {"pk": _assessed(user).pk}),
    "casework:referral_case_open": Rule(builder=lambda user: {"pk": _consented(user)[0].pk}),
    "casework:referral_assign": Rule(builder=_assignable),
    "casework:caseload_transfer": Rule(base=_caseload),
    "casework:referral_create": Rule(builder=_referral_employer),
    "api:referral-list": Rule(role=CASE, base=_api_referral, foreign=_others_ids),
    "api:referral-assess": Rule(builder=casework_referrals._hers, base=_api_assessment),
    "api:referral-consent": Rule(builder=lambda user: {"pk": _assessed(user).pk}),
    "api:case-list": Rule(role=CASE, base=_api_case, foreign=_others_ids),
    "api:case-detail": Rule(role=CASE),
    "api:case-reopen": Rule(builder=lambda user: {"pk": _closed_case(user).pk}),
    "api:interview-list": Rule(
        role=CASE,
        base=_api_case_record(occurred_on=DAY, place="phone", duration_minutes=30),
        foreign=_others_ids,
    ),
    "api:plan-objective-list": Rule(
        role=CASE, base=_api_case_record(title="Objectif"), foreign=_others_ids
    ),
    "api:plan-objective-detail": Rule(role=CASE, base=lambda u, k: {"status": "done"}),
    "api:plan-action-list": Rule(role=CASE, base=_api_action, foreign=_others_ids),
    "api:plan-action-detail": Rule(role=CASE, base=lambda u, k: {"status": "done"}),
    "api:orientation-list": Rule(role=CASE, base=_api_orientation, foreign=_others_ids),
    "api:orientation-detail": Rule(role=CASE, base=lambda u, k: {"result": "achieved"}),
}


# --- Collective work -------------------------------------------------------------------------


def _action_form(user, kwargs):
    if "pk" in kwargs:
        employer = CollectiveAction.objects.get(pk=kwargs["pk"]).employer_shares.get().employer
    else:
        employer = _team_employer(user)
    return {
        "title": "Préparer sa retraite",
        "starts_on": DAY,
        "ends_on": "",
        "duration_minutes": "120",
        "attendance": "",
        "attendance_category_a": "",
        "attendance_category_b": "",
        "attendance_category_c": "",
        "names_confirmed": "",
        "employeurs-TOTAL_FORMS": "1",
        "employeurs-INITIAL_FORMS": "1" if "pk" in kwargs else "0",
        "employeurs-0-employer": employer.pk,
        "employeurs-0-attendance": "12",
    }


def _meeting_form(user, kwargs):
    return {"employer": _team_employer(user).pk, "held_on": DAY, "names_confirmed": ""}


def _alert_form(user, kwargs):
    employer = _team_employer(user)
    employer.accounts.add(UserFactory(role=R.EMPLOYER_CONTACT))
    return {"employeur": employer.pk, "raised_on": DAY, "names_confirmed": ""}


def _api_action_body(user, kwargs):
    return {
        "title": "Préparer sa retraite",
        "kind": "information_meeting",
        "theme": "retirement",
        "starts_on": DAY,
        "duration_minutes": 120,
        "employers": [{"employer": _team_employer(user).pk, "attendance": 12}],
    }


def _api_meeting_body(user, kwargs):
    return {
        "employer": _team_employer(user).pk,
        "body": "clas",
        "held_on": DAY,
        "duration_minutes": 90,
        "topics": "Plan d'action sociale.",
    }


def _api_alert_body(user, kwargs):
    employer = _team_employer(user)
    contact = UserFactory(role=R.EMPLOYER_CONTACT)
    employer.accounts.add(contact)
    return {
        "employer": employer.pk,
        "raised_on": DAY,
        "risk": "reorganisation",
        "description": "La fusion de deux services inquiète.",
        "addressees": [contact.pk],
    }


WORKER = R.SOCIAL_WORKER
COLLECTIVE = {
    "collective:action_create": Rule(base=_action_form),
    "collective:action_update": Rule(base=_action_form),
    "collective:meeting_create": Rule(base=_meeting_form),
    "collective:meeting_update": Rule(
        role=WORKER, builder=collective._meeting_in_scope, base=lambda u, k: {"names_confirmed": ""}
    ),
    "collective:alert_create": Rule(base=_alert_form, query={"employeur": values.ID}),
    "collective:alert_update": Rule(base=lambda user, kwargs: {"names_confirmed": ""}),
    "api:collective-action-list": Rule(role=WORKER, base=_api_action_body, foreign=_others_ids),
    "api:collective-action-detail": Rule(role=WORKER),
    "api:body-meeting-list": Rule(role=WORKER, base=_api_meeting_body, foreign=_others_ids),
    "api:body-meeting-detail": Rule(role=WORKER),
    "api:alert-list": Rule(role=WORKER, base=_api_alert_body, foreign=_others_ids),
    "api:alert-detail": Rule(role=WORKER),
}


# --- Time, billing, reports, directory ---------------------------------------------------------


def _time_entry(user, kwargs):
    return {"employer": _team_employer(user).pk, "date": DAY, "minutes": "90"}


def _final_invoice(user, kwargs):
    from django.utils import timezone

    today = timezone.localdate()
    employer = ConventionFactory(
        status="terminated", signed_on=dt.date(2026, 1, 1), terminated_on=today
    ).employer
    quarter = (today.month - 1) // 3 + 1
    return {
        "annee": str(today.year),
        "trimestre": str(quarter),
        "employer": employer.pk,
        "reason": "Convention résiliée",
    }


def _drafts_to_issue(user, kwargs):
    from tests.url_rows.billing import BUILDERS as BILLING_BUILDERS

    draft = BILLING_BUILDERS["billing_invoice_draft"](user)["pk"]
    return {"annee": "2026", "trimestre": "1", "factures": str(draft)}


OTHERS = {
    "billing:my_time": Rule(base=_time_entry),
    # The list page's links carry the period; a forged one is refused (never another period).
    "billing:invoice_run": Rule(
        base=lambda user, kwargs: {"annee": "2026", "trimestre": "1"},
        query={"annee": values.NUMBER, "trimestre": values.CHOICE},
    ),
    "billing:invoice_run_final": Rule(
        base=_final_invoice,
        query={"annee": values.NUMBER, "trimestre": values.CHOICE},
    ),
    "billing:invoice_issue_all": Rule(
        base=_drafts_to_issue,
        query={"annee": values.NUMBER, "trimestre": values.CHOICE},
        fields={"factures": values.NUMBER},
    ),
    "api:invoice-run": Rule(base=lambda user, kwargs: {"year": 2026, "quarter": 1}),
    "billing:fte_plan_validate": Rule(
        base=lambda user, kwargs: {"annee": "2026"}, query={"annee": values.NUMBER}
    ),
    "api:time-entry-list": Rule(
        role=WORKER,
        base=lambda user, kwargs: {**_time_entry(user, kwargs), "minutes": 90, "kind": "interview"},
        foreign=_others_ids,
    ),
    "reports:federation": Rule(base=_aggregates),
    # A spreadsheet is made faster than a PDF, and each accepted request makes one.
    "reports:export": Rule(base=lambda user, kwargs: {"format": "ods"}),
    "directory:partner_create": Rule(base=lambda user, kwargs: {"phone": "02 48 12 34 56"}),
    "directory:partner_update": Rule(base=lambda user, kwargs: {"phone": "02 48 12 34 56"}),
}


def _employee_pk() -> dict:
    """An employee the DPO found by his identity (any employee: she may search them all)."""
    return {"employee": str(_others_case().employee_id), "received_on": DAY}


# The archive opens for an authorised archivist only: the worker posting is made one.
PRIVACY = {
    "casework:archive_open": Rule(
        role=R.SOCIAL_WORKER,
        builder=lambda user: {"pk": privacy.archived_case(granted_to=user).pk},
        base=lambda user, kwargs: {"motive": "Réponse à une demande de droit d'accès reçue"},
    ),
    "casework:subject_request_create": Rule(base=lambda user, kwargs: _employee_pk()),
    "casework:erasure_request_create": Rule(base=lambda user, kwargs: _employee_pk()),
    "casework:subject_request_balance": Rule(
        base=lambda user, kwargs: {"disclose": "non", "motive": privacy.MOTIVE}
    ),
    "casework:subject_request_release": Rule(
        builder=lambda user: {"pk": privacy.reviewed_request(user).pk}
    ),
    "casework:erasure_request_detail": Rule(
        base=lambda user, kwargs: {"decision": "refused", "motive": privacy.MOTIVE}
    ),
    "privacy:archivist_list": Rule(
        base=lambda user, kwargs: {"user": UserFactory(role=R.SOCIAL_WORKER).pk}
    ),
}


# --- Appointments (issue 16) -----------------------------------------------------------------


def _free_day() -> dt.date:
    """The first day after today that is neither a weekend nor a French public holiday."""
    from polesocial.appointments.rules import holiday_name

    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() >= 5 or holiday_name(day, None):
        day += dt.timedelta(days=1)
    return day


def _booking(user, kwargs):
    return {
        "worker": _worker(user).pk, "employer": _team_employer(user).pk,
        "day": _free_day().isoformat(), "time": "10:00", "place": "operator_office",
        "video_link": "", "employee_on_leave": "", "reminder_consent": "",
    }  # fmt: skip


def _api_booking(user, kwargs):
    start = dt.datetime.combine(_free_day(), dt.time(10)).astimezone()
    return {
        "worker": _worker(user).pk, "employer": _team_employer(user).pk,
        "start": start.isoformat(), "duration_minutes": 45, "place": "operator_office",
        "person_name": "Jules Martin",
    }  # fmt: skip


def _drop_in(user, kwargs):
    day = _free_day().isoformat()
    return {
        "worker": _worker(user).pk, "employer": _team_employer(user).pk, "starts_on": day,
        "ends_on": day, "start_time": "09:00", "end_time": "12:00", "exceptions": "",
    }  # fmt: skip


def _past_appointment(user):
    """An appointment of hers whose time has come (to mark done or missed)."""
    from django.utils import timezone

    from polesocial.appointments.models import Appointment

    worker = _worker(user)
    start = timezone.now() - dt.timedelta(hours=2)
    appointment = Appointment.objects.create(
        worker=worker, employer=_team_employer(user), person_name="Jules Martin",
        start=start, end=start + dt.timedelta(minutes=45), place="operator_office",
        booked_by=user,
    )  # fmt: skip
    return {"pk": appointment.pk}


APPOINTMENTS = {
    "appointments:appointment_create": Rule(role=WORKER, base=_booking),
    "appointments:drop_in_create": Rule(role=WORKER, base=_drop_in),
    "appointments:appointment_done": Rule(role=WORKER, builder=_past_appointment),
    "appointments:appointment_missed": Rule(role=WORKER, builder=_past_appointment),
    "appointments:calendar_feed": Rule(
        role=WORKER,
        base=lambda user, kwargs: {"action": "initiales"},
        fields={"action": values.CHOICE},
    ),
    "appointments:secretary_teams": Rule(
        role=R.ADMIN,
        base=lambda user, kwargs: {
            "secretary": UserFactory(role=R.SECRETARY).pk,
            "teams": [TeamFactory().pk],
        },
        fields={"secretary": values.ID, "teams": values.MULTIID},
    ),  # fmt: skip
    "api:appointment-list": Rule(role=WORKER, base=_api_booking, foreign=_others_ids),
    "api:appointment-done": Rule(role=WORKER, builder=_past_appointment),
    "api:appointment-missed": Rule(role=WORKER, builder=_past_appointment),
}


# --- Material aid --------------------------------------------------------------------------


def _aid_draft(user, **fields):
    from tests.aid.helpers import aid_case, draft

    worker = _worker(user)
    return draft(worker, case=aid_case(worker, employer=_team_employer(user)), **fields)


def _aid_decided(user, kind: str = "exceptional_help"):
    """A request of hers granted 600 € by a committee session."""
    from polesocial.aid import services as aid
    from tests.aid.helpers import member, scheme, session_with

    officer = member()
    request = _aid_draft(user, scheme=scheme(kind=kind))
    aid.aid_request_submit(actor=user, request=request)
    aid.aid_request_schedule(actor=officer, request=request, session=session_with([officer]))
    aid.aid_decision_record(
        actor=officer, request=request, outcome="granted", amount=request.amount_requested,
        decided_on=dt.date.fromisoformat(DAY),
    )  # fmt: skip
    return {"pk": request.case_id, "aid_pk": request.pk}


def _aid_submitted(user):
    from polesocial.aid import services as aid

    worker = SocialWorkerFactory()
    request = _aid_draft(worker.user)
    aid.aid_request_submit(actor=worker.user, request=request)
    return request


def _aid_session_with_file(user):
    """A session with one file on its agenda, and that file's id."""
    from polesocial.aid import services as aid
    from tests.aid.helpers import session_with

    session = session_with([])
    aid.aid_request_schedule(actor=user, request=_aid_submitted(user), session=session)
    return {"pk": session.pk, "_request": session.agenda.get().pk}


def _aid_urgent(user):
    from polesocial.aid import services as aid

    worker = SocialWorkerFactory()
    request = _aid_draft(worker.user, urgent=True)
    aid.aid_request_submit(actor=worker.user, request=request)
    return request


def _aid_session(user):
    from tests.aid.helpers import session_with

    return {"pk": session_with([]).pk}


def _aid_committee(user, kwargs):
    from polesocial.aid import services as aid

    committee = aid.committee_create(actor=user, name="Commission", scope="operator")
    return {"committee": committee.pk}


def _aid_request_form(user, kwargs):
    from tests.aid.helpers import scheme

    return {
        "scheme": scheme().pk,
        "incomes": "Salaire ; 1450,00",
        "expenses": "Loyer ; 520,00",
        "committee_summary": "Parent isolé, dette de loyer.",
    }


def _aid_employer(user, kwargs):
    return {"employer": EmployerFactory().pk}


AID = {
    "aid:membership_create": Rule(base=_aid_employer),
    "aid:provider_create": Rule(base=_aid_employer),
    "aid:request_create": Rule(base=_aid_request_form),
    "aid:request_submit": Rule(
        builder=lambda user: {"pk": (r := _aid_draft(user)).case_id, "aid_pk": r.pk}
    ),  # fmt: skip
    "aid:payment_add": Rule(builder=_aid_decided, base=lambda u, k: {"payee": "employee"}),
    "aid:loan_schedule": Rule(builder=lambda user: _aid_decided(user, kind="loan")),
    "aid:session_list": Rule(base=_aid_committee),
    "aid:session_schedule": Rule(
        builder=_aid_session,
        base=lambda user, kwargs: {"request": _aid_submitted(user).pk},
        # A draft is not offered (the probe's scheduling, rolled back, hides the base one).
        foreign=lambda user: {"request": _aid_draft(SocialWorkerFactory().user).pk},
    ),
    "aid:written_procedure": Rule(
        base=lambda user, kwargs: {"request": _aid_urgent(user).pk, "amount": "600.00"}
    ),
    "aid:decision_record": Rule(
        builder=_aid_session_with_file,
        base=lambda user, kwargs: {"request": kwargs["_request"], "amount": "600.00"},
    ),
}


RULES: dict[str, Rule] = (
    USERS | ORGANISATIONS | CASEWORK | COLLECTIVE | OTHERS | PRIVACY | APPOINTMENTS | AID
)
