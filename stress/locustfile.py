"""The social workers' day, for locust: sign in (password + TOTP), then the main journeys.

Run by stress.drills.load (`locust --headless`, loopback only). Each simulated user is one
social worker of stress.prepare's list (STRESS_ACCOUNTS, a JSON file): she signs in once,
then goes between her dashboard, her case list, a case page, the team's queue, and records
a time entry or an interview. Any answer other than the one expected is a failure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

from stress.totp import demo_code

with open(os.environ["STRESS_ACCOUNTS"], encoding="utf-8") as accounts_file:
    ACCOUNTS = json.load(accounts_file)
_NEXT = itertools.count()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/dossiers/(\d+)/"')
EMPLOYER_OPTION = re.compile(r'<option value="(\d+)"')


def today() -> str:
    return dt.date.today().isoformat()


class SocialWorker(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.email = ACCOUNTS["emails"][next(_NEXT) % len(ACCOUNTS["emails"])]
        self.cases: list[str] = []
        self.closed: set[str] = set()  # cases that take no interview (closed…)
        self.sign_in()
        self.case_list()

    # Helpers --------------------------------------------------------------------------

    def page(self, path: str, name: str | None = None) -> str:
        """GET a page that must answer 200 with a page of the app (not the sign-in form)."""
        with self.client.get(path, name=name or path, catch_response=True) as answer:
            if answer.status_code == 0:
                answer.failure(f"{path} : pas de réponse ({answer.error!r})")
            elif answer.status_code != 200:
                answer.failure(f"{path} : réponse {answer.status_code}")
            elif "/connexion/" in answer.url and not path.startswith("/connexion/"):
                answer.failure(f"{path} : renvoyé·e vers la connexion")
            elif "<h1" not in answer.text:
                answer.failure(f"{path} : page sans titre")
            return answer.text

    def post(self, path: str, data: dict, *, name: str, expect: str, token_from: str) -> None:
        """POST a form (its CSRF token read from `token_from`); must redirect to `expect`."""
        token = CSRF.search(token_from)
        if token is None:
            self.environment.events.request.fire(
                request_type="POST", name=name, response_time=0, response_length=0,
                exception=AssertionError(f"{name} : formulaire sans jeton CSRF"),
            )  # fmt: skip
            return
        data = {**data, "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code == 0:
                answer.failure(f"{name} : pas de réponse ({answer.error!r})")
            elif answer.status_code != 302 or expect not in location:
                answer.failure(f"{name} : réponse {answer.status_code} vers « {location} »")

    def sign_in(self) -> None:
        form = self.page("/connexion/")
        self.post(
            "/connexion/",
            {"email": self.email, "password": ACCOUNTS["password"]},
            name="/connexion/ (mot de passe)",
            expect="/connexion/code/",
            token_from=form,
        )
        form = self.page("/connexion/code/")
        self.post(
            "/connexion/code/",
            {"code": demo_code(self.email, ACCOUNTS["seed"])},
            name="/connexion/code/ (TOTP)",
            expect="/",
            token_from=form,
        )

    # Journeys -------------------------------------------------------------------------

    @task(3)
    def dashboard(self):
        self.page("/", name="tableau de bord")

    @task(3)
    def case_list(self):
        found = CASE_LINK.findall(self.page("/dossiers/", name="liste des dossiers"))
        self.cases = sorted(set(found)) or self.cases

    @task(4)
    def case_page(self):
        if self.cases:
            case = random.choice(self.cases)  # noqa: S311 - load, not security
            self.page(f"/dossiers/{case}/", name="page d'un dossier")

    @task(2)
    def queue(self):
        self.page("/saisines/file/", name="file des saisines")

    @task(1)
    def record_time(self):
        form = self.page("/mon-temps/", name="mon temps")
        employers = EMPLOYER_OPTION.findall(form)
        self.post(
            "/mon-temps/",
            {
                "date": today(),
                "kind": "preparation",
                "employer": random.choice(employers) if employers else "",  # noqa: S311
                "minutes": "30",
            },
            name="saisie de temps",
            expect="/mon-temps/?semaine=",
            token_from=form,
        )

    @task(1)
    def record_interview(self):
        open_cases = [case for case in self.cases if case not in self.closed]
        if not open_cases:
            return
        case = random.choice(open_cases)  # noqa: S311 - load, not security
        form = self.page(f"/dossiers/{case}/entretiens/", name="entretiens d'un dossier")
        if f"/dossiers/{case}/entretiens/saisir/" not in form:
            self.closed.add(case)  # closed, or its consent withdrawn: no interview
            return
        employers = EMPLOYER_OPTION.findall(form)
        self.post(
            f"/dossiers/{case}/entretiens/saisir/",
            {
                "occurred_on": today(),
                "place": "phone",
                "duration_hours": "0",
                "duration_minutes": "45",
                "employer": employers[0] if employers else "",
                "notes": "Point téléphonique de suivi (exercice de charge).",
                "private_note": "",
            },
            name="saisie d'un entretien",
            expect=f"/dossiers/{case}/entretiens/",
            token_from=form,
        )
