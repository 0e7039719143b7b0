"""Case work in the browser, from a referral to a closed case (issue 5).

An HR contact sends a referral; the counsellor assigns it from the queue; the worker opens
it from her notification, records the first assessment and the employee's consent, opens
the case, records an interview, writes a plan, orients the employee to a partner and
closes the case. Then the HR contact, the counsellor, the secretary and another worker of
the team try the case and its interviews, by screen and by API: 404 for each, exactly as
for an absent case. Last, every page the HR contact can reach from his home page is read:
none holds the employee's name or the case number.

Each person works in their own browser context, signed in with a session as after the full
sign-in (password and second factor: the sign-in itself is tested in test_sign_in.py).
The main screens are checked with axe (no serious or critical violation), for Content
Security Policy violations and script errors, and saved as screenshots.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import deque
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urldefrag, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from polesocial.casework.models import Case, Interview, Referral
from polesocial.users.enums import Role
from tests.e2e.conftest import hand_session, new_context
from tests.e2e.helpers import check, heading, required, wait_for_dsfr
from tests.factories import (
    EmployerFactory,
    OperatorFactory,
    PartnerFactory,
    SocialWorkerFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EMPLOYER = "Commune de Mussy-sur-Seine"
PARTNER = "CAF de l'Aube"
# The employee: a name no account, employer or partner of the test carries.
LAST_NAME = "Kerhervé-Lozac'hmeur"
FIRST_NAME = "Maëlle"
REASON = "Retards de loyer répétés, l'agente semble épuisée."
INTERVIEW_NOTES = "Point sur le budget : trois mois de loyer en retard."
OBJECTIVE = "Résorber la dette de loyer"
ACTION = "Constituer le dossier de fonds de solidarité logement"
ORIENTATION = "Demande d'aide au logement"
NOT_FOUND = "Page introuvable"
# The HR contact's crawl: enough for every page his menu and their links lead to.
CRAWL_LIMIT = 40


# People and browsers -------------------------------------------------------------------


@pytest.fixture
def people(transactional_db):
    """The team serving the employer: its counsellor, two workers, a secretary, the HR
    contact of the employer, and a partner to orient the employee to."""
    OperatorFactory()
    counsellor = UserFactory(role=Role.COUNSELLOR, first_name="Sophie", last_name="Garnier")
    team = TeamFactory(name="Équipe Aube sud", counsellor=counsellor)
    employer = EmployerFactory(name=EMPLOYER, team=team)
    contact = UserFactory(role=Role.EMPLOYER_CONTACT, first_name="Marc", last_name="Delorme")
    employer.accounts.add(contact)
    worker = SocialWorkerFactory(
        team=team,
        user=UserFactory(role=Role.SOCIAL_WORKER, first_name="Anne", last_name="Lemoine"),
    )
    colleague = SocialWorkerFactory(
        team=team,
        user=UserFactory(role=Role.SOCIAL_WORKER, first_name="Julie", last_name="Marchand"),
    )
    secretary = UserFactory(role=Role.SECRETARY, first_name="Paul", last_name="Renaud")
    partner = PartnerFactory(name=PARTNER, kind="caf")
    return SimpleNamespace(
        counsellor=counsellor,
        team=team,
        employer=employer,
        contact=contact,
        worker=worker,
        colleague=colleague,
        secretary=secretary,
        partner=partner,
    )


@dataclass
class Session:
    """One person's browser: their own context, page, and what the page wrote to the console."""

    page: Page
    console: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        self.console.append(f"{message.type}: {message.text} [{message.location.get('url')}]")

    def forget_own_404(self) -> None:
        """Chromium logs the 404 of the page itself as a resource that failed to load."""
        own = f"the server responded with a status of 404 (Not Found) [{self.page.url}]"
        self.console[:] = [message for message in self.console if not message.endswith(own)]

    def check(self, name: str) -> None:
        """Screenshot, axe, and neither CSP violation nor script error on the current page."""
        check(self.page, self.console, name)


@pytest.fixture
def browse(browser, live_server):
    """browse(user) -> a Session in a fresh browser context, signed in as `user`."""
    contexts = []

    def open_as(user) -> Session:
        context = new_context(browser, live_server)
        contexts.append(context)
        session = Session(page=context.new_page())
        hand_session(session.page, live_server, user)
        session.page.on("console", session.on_console)
        session.page.on("pageerror", lambda e: session.console.append(f"pageerror: {e}"))
        return session

    yield open_as
    for context in contexts:
        context.close()


def main_menu(page):
    return page.get_by_role("navigation", name="Menu principal")


def case_tab(page, name: str):
    return page.get_by_role("navigation", name="Rubriques du dossier").get_by_role(
        "link", name=name
    )


def success(page, text: str):
    """The flash message shown after a write."""
    expect(page.get_by_text(text)).to_be_visible()


def french(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# The journey ---------------------------------------------------------------------------


def test_from_a_referral_to_a_closed_case_seen_only_by_the_worker_in_charge(people, browse):
    today = timezone.localdate()
    hr = browse(people.contact)
    referral = send_referral(hr)
    assign(browse(people.counsellor), people, referral)
    worker = browse(people.worker.user)
    case = assess_consent_and_open(worker, people, referral)
    interview = record_interview(worker, case)
    write_plan(worker, today)
    orient(worker)
    visit_other_tabs(worker)
    close(worker, today)

    # The worker in charge reads both, by screen and by API: the URLs tried below are right,
    # and the search for the name and the number finds them where they are shown.
    for path in (f"/dossiers/{case.pk}/", f"/dossiers/{case.pk}/entretiens/"):
        assert worker.page.goto(path).status == 200
        assert shows(worker.page.content(), LAST_NAME)
        assert shows(worker.page.content(), case.number)
    assert worker.page.request.get(f"/api/v1/cases/{case.pk}/").status == 200
    assert worker.page.request.get(f"/api/v1/interviews/{interview.pk}/").status == 200

    for name, session in [
        ("hr_contact", hr),
        ("counsellor", browse(people.counsellor)),
        ("secretary", browse(people.secretary)),
        ("other_worker", browse(people.colleague.user)),
    ]:
        refused_everywhere(session, name, case, interview)

    crawl_shows_nothing_of_the_case(hr, case)
    # The case is closed, and all he knows is still that his referral was received.
    hr.page.goto("/saisines/envoyees/")
    row = hr.page.get_by_role("row").filter(has_text=referral.number)
    expect(row.locator(".fr-badge")).to_have_text("Reçue")


def send_referral(hr: Session) -> Referral:
    """The HR contact fills "Adresser un agent"; afterwards he sees only "Reçue"."""
    page = hr.page
    page.goto("/")
    expect(heading(page)).to_have_text("Bonjour Marc")
    # The call to action of his home page (the same link is in the menu and the tiles).
    callout = page.locator(".fr-callout", has_text="Un agent a besoin du service social ?")
    callout.get_by_role("link", name="Adresser un agent").click()
    expect(heading(page)).to_have_text("Adresser un agent au service social")
    expect(page.get_by_text("Le service RH de l'employeur")).to_be_visible()
    hr.check("casework_referral_form")

    page.get_by_label("Employeur de l'agent").select_option(label=EMPLOYER)
    required(page, "Nom de l'agent").fill(LAST_NAME)
    page.get_by_label("Prénom de l'agent").fill(FIRST_NAME)
    page.get_by_label("Coordonnées de l'agent").fill("06 12 34 56 78")
    page.get_by_label("Motif de la demande").fill(REASON)
    page.locator("label", has_text="Urgente").click()
    expect(page.get_by_label("Urgente")).to_be_checked()
    expect(page.get_by_label("Votre nom")).to_have_value("Marc Delorme")
    page.get_by_role("button", name="Envoyer la saisine").click()

    referral = Referral.objects.get()
    expect(heading(page)).to_have_text("Mes saisines envoyées")
    success(page, f"Saisine n° {referral.number} transmise au service social.")
    row = page.get_by_role("row").filter(has_text=referral.number)
    expect(row).to_contain_text(EMPLOYER)
    expect(row.locator(".fr-badge")).to_have_text("Reçue")
    hr.check("casework_referral_sent")
    assert (referral.person_last_name, referral.urgency) == (LAST_NAME, "urgent")
    assert referral.source == "employer_hr"
    return referral


def assign(counsellor: Session, people, referral: Referral) -> None:
    """The counsellor sees the referral in the queue, without identity, and assigns it."""
    page = counsellor.page
    page.goto("/")
    main_menu(page).get_by_role("link", name="File d'attente").click()
    expect(heading(page)).to_have_text("File d'attente des saisines")
    row = page.get_by_role("row").filter(has_text=referral.number)
    expect(row).to_contain_text(EMPLOYER)
    expect(row).to_contain_text("Le service RH de l'employeur")
    expect(row).to_contain_text("Urgente")
    expect(row).to_contain_text("Non attribuée")
    # The queue shows neither who the employee is nor why they were referred.
    expect(page.get_by_role("main")).not_to_contain_text(re.compile(re.escape(LAST_NAME), re.I))
    expect(page.get_by_role("main")).not_to_contain_text(REASON)
    counsellor.check("casework_queue_counsellor")

    row.get_by_label(f"ASS pour la saisine {referral.number}").select_option(label="Anne Lemoine")
    row.get_by_role("button", name="Attribuer").click()

    success(page, f"Saisine n° {referral.number} attribuée à Anne Lemoine.")
    row = page.get_by_role("row").filter(has_text=referral.number)
    expect(row).to_contain_text("Anne Lemoine")
    expect(row.get_by_role("button", name="Réattribuer")).to_be_visible()
    counsellor.check("casework_queue_assigned")
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_to) == ("assigned", people.worker)


def assess_consent_and_open(worker: Session, people, referral: Referral) -> Case:
    """The worker opens the referral from her notification, records the first assessment
    (the call confirms the identity), the consent, and opens the case."""
    page = worker.page
    page.goto("/")
    expect(heading(page)).to_have_text("Bonjour Anne")
    waiting = page.get_by_role("table", name="Saisines qui vous attendent")
    expect(waiting.get_by_role("link", name=referral.number)).to_be_visible()
    worker.check("casework_worker_dashboard")
    page.get_by_role("link", name=re.compile(r"Notifications \(1 non lue\)")).click()
    card = page.locator(".fr-card").filter(has_text=f"Saisine {referral.number} attribuée")
    card.get_by_role("button", name="Ouvrir").click()

    expect(heading(page)).to_have_text(f"Saisine {referral.number}")
    expect(page.locator("main .fr-badge").first).to_have_text("Attribuée")
    expect(page.get_by_text(REASON)).to_be_visible()
    worker.check("casework_referral_detail")

    # 1. The first assessment, by phone.
    page.locator("label", has_text="Ouvrir un accompagnement").click()
    page.get_by_label("Notes de l'évaluation").fill("Agente jointe ; d'accord pour un rendez-vous.")
    identity = page.locator("fieldset", has=page.get_by_text("Identité de l'agent"))
    expect(identity.get_by_role("textbox").first).to_have_value(LAST_NAME)
    page.get_by_label("Date de naissance").fill("1981-06-23")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_role("textbox", name="Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Statut").select_option(label="Titulaire")
    page.get_by_label("Catégorie").select_option(label="Catégorie C")
    page.get_by_label("Métier ou poste").fill("Agente d'entretien")
    page.get_by_label("Temps de travail").select_option(label="Temps complet")
    page.get_by_label("Situation familiale").select_option(label="Famille monoparentale")
    page.get_by_label("Enfants à charge").fill("2")
    page.get_by_role("button", name="Enregistrer l'évaluation").click()

    success(page, "Évaluation téléphonique enregistrée.")
    expect(page.locator("main .fr-badge").first).to_have_text("Évaluée")
    expect(page.get_by_text("Ouvrir un accompagnement", exact=True)).to_be_visible()
    expect(page.get_by_text("Aucun accompagnement ne peut commencer")).to_be_visible()
    worker.check("casework_referral_assessed")

    # 2. The employee's consent.
    page.locator("label", has_text="Orale").click()
    page.locator("label", has_text="Échanges avec les partenaires sollicités").click()
    page.get_by_role("button", name="Enregistrer l'adhésion").click()

    success(page, "Adhésion de l'agent enregistrée.")
    expect(page.get_by_text(re.compile(r"Adhésion orale recueillie le"))).to_be_visible()
    expect(page.get_by_text("Échanges autorisés : Échanges avec les partenaires")).to_be_visible()
    worker.check("casework_referral_consent")

    # 3. The case.
    page.locator("label", has_text="Budget").click()
    page.locator("label", has_text="Logement").click()
    page.get_by_label("Diagnostic").fill("Dette de loyer ; deux enfants à charge.")
    page.get_by_role("button", name="Ouvrir le dossier").click()

    case = Case.objects.get()
    success(page, f"Dossier n° {case.number} ouvert.")
    expect(heading(page)).to_have_text(f"{LAST_NAME.upper()} {FIRST_NAME}")
    expect(page.locator("main .fr-badge").first).to_have_text("En cours")
    expect(page.get_by_text("Budget", exact=True)).to_be_visible()
    expect(page.get_by_text("Logement", exact=True)).to_be_visible()
    worker.check("casework_case_situation")
    assert (case.worker, case.referral) == (people.worker, referral)
    assert sorted(case.domain_codes) == ["budget", "housing"]
    return case


def record_interview(worker: Session, case: Case) -> Interview:
    page = worker.page
    case_tab(page, "Entretiens").click()
    expect(page.get_by_role("heading", name="Entretiens (0)")).to_be_visible()
    worker.check("casework_case_interviews_empty")

    page.get_by_label("Lieu").select_option(label="Dans les locaux de l'opérateur")
    page.get_by_label("Durée : heures").fill("1")
    page.get_by_label("Durée : minutes").fill("15")
    expect(page.get_by_label("Employeur imputé")).to_have_value(str(case.employee.employer_id))
    page.get_by_label("Notes", exact=True).fill(INTERVIEW_NOTES)
    page.get_by_role("button", name="Enregistrer l'entretien").click()

    success(page, "Entretien enregistré.")
    expect(page.get_by_role("heading", name="Entretiens (1)")).to_be_visible()
    summary = page.get_by_role("button", name=re.compile("Dans les locaux de l'opérateur · 1 h 15"))
    wait_for_dsfr(page)  # the accordion opens by DSFR's script
    summary.click()
    expect(page.get_by_text(INTERVIEW_NOTES)).to_be_visible()
    expect(page.get_by_text("Saisi par Anne Lemoine")).to_be_visible()
    worker.check("casework_case_interviews")
    interview = Interview.objects.get()
    assert (interview.case, interview.duration_minutes) == (case, 75)
    return interview


def write_plan(worker: Session, today: dt.date) -> None:
    page = worker.page
    due = today + dt.timedelta(days=10)
    case_tab(page, "Plan d'accompagnement").click()
    expect(page.get_by_text("Aucun objectif pour l'instant")).to_be_visible()
    worker.check("casework_case_plan_empty")

    objective_form = page.locator("form", has=page.get_by_role("button", name="Ajouter l'objectif"))
    objective_form.get_by_label("Objectif").fill(OBJECTIVE)
    objective_form.get_by_role("button", name="Ajouter l'objectif").click()
    success(page, "Objectif ajouté.")
    expect(page.get_by_role("heading", name=f"Objectif 1 : {OBJECTIVE}")).to_be_visible()

    action_form = page.locator("form", has=page.get_by_role("button", name="Ajouter l'action"))
    action_form.get_by_label("Objectif").select_option(label=OBJECTIVE)
    action_form.get_by_label("Action").fill(ACTION)
    action_form.get_by_label("Échéance").fill(due.isoformat())
    action_form.get_by_role("button", name="Ajouter l'action").click()

    success(page, "Action ajoutée.")
    row = page.get_by_role("table", name="Actions de l'objectif 1").get_by_role("row")
    row = row.filter(has_text=ACTION)
    expect(row).to_contain_text(french(due))
    expect(row.locator(".fr-badge")).to_have_text("À faire")
    worker.check("casework_case_plan")


def orient(worker: Session) -> None:
    page = worker.page
    case_tab(page, "Orientations").click()
    expect(page.get_by_text("Aucune orientation pour l'instant.")).to_be_visible()
    worker.check("casework_case_orientations_empty")

    page.get_by_label("Partenaire").select_option(label=PARTNER)
    page.get_by_label("Objet de l'orientation").fill(ORIENTATION)
    page.get_by_role("button", name="Enregistrer l'orientation").click()

    success(page, "Orientation enregistrée.")
    row = page.get_by_role("row").filter(has_text=ORIENTATION)
    expect(row).to_contain_text(PARTNER)
    expect(row.get_by_label(f"Résultat de l'orientation vers {PARTNER}")).to_have_value("pending")
    worker.check("casework_case_orientations")


def visit_other_tabs(worker: Session) -> None:
    page = worker.page
    case_tab(page, "Documents").click()
    expect(page.get_by_role("button", name="Déposer")).to_be_visible()
    worker.check("casework_case_documents")

    case_tab(page, "Historique").click()
    history = page.get_by_role("main")
    for label in (
        "Ouverture du dossier",
        "Saisie d'un entretien",
        "Ajout d'un objectif au plan",
        "Ajout d'une action au plan",
        "Orientation vers un partenaire",
    ):
        expect(history.get_by_text(label).first).to_be_visible()
    worker.check("casework_case_history")


def close(worker: Session, today: dt.date) -> None:
    page = worker.page
    case_tab(page, "Situation").click()
    wait_for_dsfr(page)  # the closing form unfolds by DSFR's script
    page.get_by_role("button", name="Clore le dossier", expanded=False).click()
    form = page.locator("#case-close")
    expect(form.get_by_label("Date de clôture")).to_have_value(today.isoformat())
    form.get_by_label("Motif").select_option(label="Relais à un partenaire")
    form.get_by_label("Bilan de l'accompagnement").fill("Relais pris par la CAF.")
    form.get_by_role("button", name="Clore le dossier").click()

    success(page, f"Dossier clos le {french(today)}.")
    expect(page.locator("main .fr-badge").first).to_have_text("Clos")
    closure = page.get_by_role("table", name="Clôtures").get_by_role("row").nth(1)
    expect(closure).to_contain_text("Relais à un partenaire")
    expect(closure).to_contain_text("Anne Lemoine")
    worker.check("casework_case_closed")
    assert Case.objects.get().status == "closed"


# Nobody else ---------------------------------------------------------------------------


def refused_everywhere(session: Session, name: str, case: Case, interview: Interview) -> None:
    """The case page, its interviews tab and both API resources: 404, telling nothing."""
    page = session.page
    for path in (f"/dossiers/{case.pk}/", f"/dossiers/{case.pk}/entretiens/"):
        response = page.goto(path)
        assert response.status == 404, f"{name} on {path}: {response.status}"
        expect(heading(page)).to_have_text(NOT_FOUND)
        assert_secret_absent(page.content(), case, where=f"{name} on {path}")
        page.wait_for_load_state("networkidle")
        session.forget_own_404()
    session.check(f"casework_404_{name}")
    for path in (f"/api/v1/cases/{case.pk}/", f"/api/v1/interviews/{interview.pk}/"):
        response = page.request.get(path)
        assert response.status == 404, f"{name} on {path}: {response.status} {response.text()}"
        assert_secret_absent(response.text(), case, where=f"{name} on {path}")


def shows(text: str, secret: str) -> bool:
    """Whether `text` holds `secret`, whatever its case; HTML is read unescaped, so that an
    apostrophe written &#x27; counts too."""
    return secret.casefold() in html.unescape(text).casefold()


def assert_secret_absent(text: str, case: Case, *, where: str) -> None:
    """Neither the employee's name, nor the case number, nor the interview's notes."""
    for secret in (LAST_NAME, case.number, INTERVIEW_NOTES):
        assert not shows(text, secret), f"{secret!r} shown to {where}"


def crawl_shows_nothing_of_the_case(hr: Session, case: Case) -> None:
    """Breadth-first over the HR contact's same-origin links (GET only, no sign-out)."""
    page = hr.page
    origin = urlsplit(page.url)[:2]
    queue, seen, visited = deque(["/"]), {"/"}, []
    while queue and len(visited) < CRAWL_LIMIT:
        path = queue.popleft()
        # Fetched first: a download (a report's CSV or JSON) is checked but not opened.
        fetched = page.request.get(path)
        visited.append((path, fetched.status))
        body = fetched.body().decode("utf-8", "ignore")
        assert_secret_absent(body, case, where=f"the HR contact on {path}")
        if "text/html" not in fetched.headers.get("content-type", ""):
            continue
        page.goto(path)
        assert_secret_absent(page.content(), case, where=f"the HR contact on {path}")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        for href in hrefs:
            url = urlsplit(urldefrag(href).url)
            if url[:2] != origin or re.search(r"deconnexion|logout", url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    paths = {path for path, _ in visited}
    assert {"/", "/saisines/nouvelle/", "/saisines/envoyees/", "/notifications/"} <= paths, visited
    assert all(status == 200 for _, status in visited), visited
    # What the API gives him: his account and his receipts.
    for path in ("/api/v1/me/", "/api/v1/referrals/sent/"):
        response = page.request.get(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert_secret_absent(response.text(), case, where=f"the HR contact on {path}")
