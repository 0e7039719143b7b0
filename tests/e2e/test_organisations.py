"""Employers and conventions as a counsellor works on them, and the organisation screens.

A counsellor creates an employer, drafts its convention, records the signature and puts it
in force, then imports employers from the CSV file Excel writes. Every screen on the way
is checked with axe (no serious or critical violation), for Content Security Policy
violations and script errors, and saved as a screenshot.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from polesocial.organisations.models import Convention, Employer, FteShare, Replacement
from polesocial.users.enums import Role
from tests.e2e.helpers import (
    check,
    heading,
    required,
)
from tests.factories import (
    ConventionFactory,
    EmployerFactory,
    OperatorFactory,
    SocialWorkerFactory,
    TeamFactory,
    siret_with_key,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SIRET = siret_with_key("2180000000456")
# The same number with another last digit: fourteen digits, but a wrong Luhn key.
BAD_SIRET = SIRET[:-1] + str((int(SIRET[-1]) + 1) % 10)
TEAM = "Équipe Aube nord"
EMPLOYER = "Commune de Bar-sur-Seine"


@pytest.fixture
def team(transactional_db):
    """The operator and a team, so that the "Équipe" select has something to offer."""
    OperatorFactory()
    return TeamFactory(name=TEAM)


# The journey -----------------------------------------------------------------------------


def test_counsellor_creates_an_employer_and_puts_its_convention_in_force(
    page, console_messages, sign_in_as, team
):
    sign_in_as(Role.COUNSELLOR)
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Employeurs"
    ).click()
    expect(heading(page)).to_have_text("Employeurs et conventions")
    check(page, console_messages, "org_employer_list_empty")

    page.get_by_role("link", name="Nouvel employeur").click()
    expect(heading(page)).to_have_text("Nouvel employeur")
    check(page, console_messages, "org_employer_form")

    required(page, "Nom").fill(EMPLOYER)
    page.get_by_label("Nature").select_option(label="Commune")
    page.get_by_label("SIRET").fill(BAD_SIRET)
    page.get_by_label("Équipe").select_option(label=TEAM)
    page.get_by_label("Adresse").fill("12 rue de la République")
    page.get_by_label("Code postal").fill("10110")
    page.get_by_label("Commune").fill("Bar-sur-Seine")
    page.get_by_label("Contact RH", exact=True).fill("Claire Martin")
    page.get_by_label("Courriel du contact RH").fill("rh@bar-sur-seine.fr")
    page.get_by_label("Téléphone du contact RH").fill("03 25 29 80 35")
    page.get_by_role("button", name="Enregistrer").click()

    # The error sits with the SIRET field, and the field points at it.
    siret = page.get_by_label("SIRET")
    siret_group = page.locator(".fr-input-group", has=siret)
    expect(siret_group).to_contain_text("clé de contrôle")
    expect(siret_group).to_have_class(re.compile(r"fr-input-group--error"))
    expect(siret).to_have_accessible_description(re.compile("clé de contrôle"))
    expect(required(page, "Nom")).to_have_value(EMPLOYER)
    check(page, console_messages, "org_employer_form_errors")
    assert not Employer.objects.exists()

    siret.fill(SIRET)
    page.get_by_role("button", name="Enregistrer").click()

    expect(heading(page)).to_have_text(EMPLOYER)
    expect(page.get_by_text(f"Employeur « {EMPLOYER} » créé.")).to_be_visible()
    expect(page.get_by_text(f"SIRET {SIRET}")).to_be_visible()
    check(page, console_messages, "org_employer_detail")
    employer = Employer.objects.get()
    assert (employer.siret, employer.kind, employer.team) == (SIRET, "commune", team)

    page.get_by_role("link", name="Nouvelle convention").click()
    expect(heading(page)).to_have_text(f"Nouvelle convention — {EMPLOYER}")
    check(page, console_messages, "org_convention_form")
    page.get_by_label("Référence").fill("CONV-2026-001")
    page.get_by_label("Mode de facturation").select_option(label="Taux horaire")
    page.get_by_label("Taux horaire (€)", exact=True).fill("60")
    page.get_by_label("Cotisation annuelle").fill("450")
    page.get_by_label("Début").fill("2026-01-01")
    required(page, "Fin").fill("2026-12-31")
    page.get_by_label("Périodicité de facturation").select_option(label="Trimestrielle")
    # DSFR draws the checkbox on its label, over the input: a person clicks the label.
    page.locator("label", has_text="Local mis à disposition").click()
    expect(page.get_by_label("Local mis à disposition")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").click()

    badge = page.locator("main .fr-badge")
    expect(heading(page)).to_have_text(f"Convention CONV-2026-001 — {EMPLOYER}")
    expect(page.get_by_text("Convention créée à l'état de brouillon.")).to_be_visible()
    expect(badge).to_have_text("Brouillon")
    check(page, console_messages, "org_convention_draft")

    page.get_by_label("Date de signature").fill("2025-12-15")
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_text("Convention signée.")).to_be_visible()
    expect(badge).to_have_text("Signée")
    expect(page.get_by_text("le 15/12/2025")).to_be_visible()
    check(page, console_messages, "org_convention_signed")

    page.get_by_role("button", name="Mettre en vigueur").click()
    expect(page.get_by_text("Convention en vigueur.")).to_be_visible()
    expect(badge).to_have_text("En vigueur")
    check(page, console_messages, "org_convention_active")
    convention = Convention.objects.get()
    assert (convention.status, convention.signed_on) == ("active", dt.date(2025, 12, 15))
    assert (convention.hourly_rate, convention.membership_contribution) == (60, 450)

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Employeurs"
    ).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=EMPLOYER))
    expect(row).to_contain_text("Commune")
    expect(row).to_contain_text(TEAM)
    expect(row.locator(".fr-badge")).to_have_text("En vigueur")
    check(page, console_messages, "org_employer_list")


def test_employer_form_tells_the_siret_format_before_any_error(page, sign_in_as, team):
    sign_in_as(Role.COUNSELLOR)
    page.goto("/employeurs/nouveau/")

    # EmployerForm sets this hint on the field; the person must read it beside the input.
    siret = page.get_by_label("SIRET")
    expect(page.locator(".fr-input-group", has=siret)).to_contain_text("14 chiffres, sans espace.")
    expect(siret).to_have_accessible_description("14 chiffres, sans espace.")


# The other screens -----------------------------------------------------------------------


@pytest.fixture
def organisation(team):
    """Two workers of the team sharing an employer this year, one replacing the other."""
    employer = EmployerFactory(name=EMPLOYER, team=team)
    ConventionFactory(employer=employer, reference="CONV-2026-001", active=True)
    absent, replacing = SocialWorkerFactory.create_batch(2, team=team)
    replacing.fte = "0.80"
    replacing.save()
    year = timezone.localdate().year
    FteShare.objects.create(worker=absent, employer=employer, year=year, share="0.500")
    FteShare.objects.create(worker=replacing, employer=employer, year=year, share="0.900")
    today = timezone.localdate()
    Replacement.objects.create(
        absent=absent,
        replacing=replacing,
        starts_on=today,
        ends_on=today + dt.timedelta(days=14),
        created_by=team.counsellor,
    )
    return employer


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/plan-etp/", re.compile(r"^Plan ETP \d{4}$")),
        ("/equipes/", "Équipes"),
        ("/remplacements/", "Remplacements"),
        ("/employeurs/import/", "Importer des employeurs"),
        ("/effectifs/import/", "Importer des effectifs"),
    ],
)
def test_counsellor_screens(page, console_messages, sign_in_as, organisation, path, title):
    sign_in_as(Role.COUNSELLOR)
    page.goto(path)
    expect(heading(page)).to_have_text(title)

    check(page, console_messages, "org" + path.rstrip("/").replace("/", "_"))


def test_employer_contact_sees_the_convention_of_their_employer(
    page, console_messages, sign_in_as, organisation
):
    contact = sign_in_as(Role.EMPLOYER_CONTACT)
    organisation.accounts.add(contact)
    EmployerFactory(name="Commune voisine")  # not theirs: not shown
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon employeur"
    ).click()

    expect(heading(page)).to_have_text("Mon employeur")
    expect(page.get_by_role("heading", name=EMPLOYER)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=EMPLOYER)
    expect(row.locator(".fr-badge")).to_have_text("En vigueur")
    expect(row).to_contain_text("Taux horaire")
    expect(page.get_by_text("Commune voisine")).to_have_count(0)
    check(page, console_messages, "org_my_employer")


# Importing employers ---------------------------------------------------------------------

EMPLOYERS_CSV = (
    "Nom;Nature;SIRET;Adresse;Code postal;Commune;Equipe\r\n"
    f"Commune d'Essoyes;Commune;{siret_with_key('2100000000011')};"
    f"2 place de la Mairie;10360;Essoyes;{TEAM}\r\n"
    f"CCAS de Troyes;CCAS / CIAS;{siret_with_key('2100000000022')};"
    "1 rue de l'Hôtel de Ville;10000;Troyes;\r\n"
)
BAD_CSV = (
    "nom;nature;siret\r\n"
    f"Commune d'Essoyes;Commune;{siret_with_key('2100000000011')}\r\n"
    f"Syndicat des eaux;Syndicat;{BAD_SIRET}\r\n"
    f";Commune;{siret_with_key('2100000000011')}\r\n"
)


def upload(page, path) -> None:
    page.get_by_label("Fichier CSV").set_input_files(path)
    page.get_by_role("button", name="Vérifier le fichier").click()


def test_counsellor_imports_employers_from_an_excel_csv(
    page, console_messages, sign_in_as, team, tmp_path
):
    csv_file = tmp_path / "employeurs.csv"
    csv_file.write_bytes(EMPLOYERS_CSV.encode("cp1252"))  # Excel's « CSV (séparateur : ;) »
    sign_in_as(Role.COUNSELLOR)
    page.goto("/employeurs/")
    page.get_by_role("link", name="Importer des employeurs").click()
    expect(heading(page)).to_have_text("Importer des employeurs")

    upload(page, csv_file)

    expect(page.get_by_role("status")).to_contain_text("2 employeurs prêts à importer.")
    expect(page.get_by_role("status")).to_contain_text("Rien n'est encore enregistré")
    check(page, console_messages, "org_import_preview")
    assert not Employer.objects.exists()

    page.get_by_role("button", name="Confirmer l'import").click()

    expect(heading(page)).to_have_text("Employeurs et conventions")
    expect(page.get_by_text("2 employeurs importés.")).to_be_visible()
    expect(page.get_by_role("link", name="Commune d'Essoyes")).to_be_visible()
    expect(page.get_by_role("link", name="CCAS de Troyes")).to_be_visible()
    check(page, console_messages, "org_import_done")
    essoyes, troyes = Employer.objects.order_by("-name")
    assert (essoyes.kind, essoyes.team.name, essoyes.postcode) == ("commune", TEAM, "10360")
    assert (troyes.kind, troyes.street) == ("ccas_cias", "1 rue de l'Hôtel de Ville")


def test_a_bad_file_shows_its_errors_line_by_line_and_imports_nothing(
    page, console_messages, sign_in_as, team, tmp_path
):
    csv_file = tmp_path / "employeurs.csv"
    csv_file.write_bytes(BAD_CSV.encode("cp1252"))
    sign_in_as(Role.COUNSELLOR)
    page.goto("/employeurs/import/")

    upload(page, csv_file)

    expect(page.get_by_role("alert")).to_contain_text("Rien n'a été importé : 4 erreurs à corriger")
    errors = page.get_by_role("table", name="Erreurs du fichier")
    expect(errors.get_by_role("row")).to_have_count(5)  # the header and four errors
    for line, column, message in [
        ("3", "nature", "« Syndicat » n'est pas une nature connue"),
        ("3", "siret", "clé de contrôle"),
        ("4", "nom", "valeur obligatoire manquante."),
        ("4", "siret", "SIRET déjà présent ligne 2."),
    ]:
        row = errors.get_by_role("row").filter(has_text=message)
        expect(row.get_by_role("cell").nth(0)).to_have_text(line)
        expect(row.get_by_role("cell").nth(1)).to_have_text(column)
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    check(page, console_messages, "org_import_errors")
    assert not Employer.objects.exists()
