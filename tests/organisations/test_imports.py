"""CSV imports of employers and headcounts: checks, all-or-nothing writes, command, screens."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from polesocial.organisations import imports
from polesocial.organisations.imports import employers_import, headcounts_import
from polesocial.organisations.models import Employer, Headcount
from polesocial.organisations.views import imports as screens
from polesocial.privacy.models import AuditEntry
from polesocial.users.enums import Role
from tests.factories import EmployerFactory, OperatorFactory, TeamFactory, siret_with_key

pytestmark = pytest.mark.django_db

EMPLOYER_HEADER = "nom;nature;siret;adresse;code_postal;commune;contact_rh;courriel_rh;telephone_rh"
KINDS = (
    "Commune, EPCI, Département, Région, CCAS / CIAS, Établissement public, "
    "Service de l'État, Autre"
)


def siret(n: int) -> str:
    """A valid SIRET (13 digits + Luhn key), apart from those of EmployerFactory (2…)."""
    return siret_with_key(f"7{n:012d}")


def bad_key(n: int) -> str:
    valid = siret(n)
    return valid[:-1] + str((int(valid[-1]) + 1) % 10)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def messages_of(result) -> list[str]:
    return [str(error) for error in result.errors]


@pytest.fixture
def operator():
    return OperatorFactory()


@pytest.fixture
def team(operator):
    return TeamFactory(operator=operator, name="Équipe Nord")


class TestEmployerChecks:
    def test_a_bad_file_writes_nothing_and_reports_every_error(self, operator):
        EmployerFactory(operator=operator, siret=siret(99))
        data = csv_bytes(
            EMPLOYER_HEADER,
            f"Commune d'Aube;commune;{siret(1)};;;;;;",
            f"Commune B;commune;{bad_key(2)};;;;;;",
            f"Mairie de C;mairie;{siret(3)};;;;;;",
            f"Doublon;commune;{siret(1)};;;;;;",
            f"Déjà là;epci;{siret(99)};;;;;;",
            f"Courriel faux;commune;{siret(6)};;;;;pas-un-courriel;",
            f";commune;{siret(7)};;;;;;",
            f"Trop de cellules;commune;{siret(8)};;;;;;;en trop",
            f"SIRET court;commune;{siret(9)[1:]};;;;;;",
        )
        result = employers_import(data, wet_run=True)

        assert messages_of(result) == [
            "Ligne 3, siret : Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas.",
            f"Ligne 4, nature : « mairie » n'est pas une nature connue ({KINDS}).",
            "Ligne 5, siret : SIRET déjà présent ligne 2.",
            "Ligne 6, siret : Un employeur avec ce SIRET est déjà enregistré.",
            "Ligne 7, courriel_rh : Saisissez une adresse e-mail valide.",
            "Ligne 8, nom : valeur obligatoire manquante.",
            "Ligne 9 : cette ligne a plus de cellules que l'en-tête : vérifiez le séparateur.",
            "Ligne 10, siret : Le SIRET compte 14 chiffres ; celui-ci en a 13 : Excel a peut-être "
            "retiré le zéro initial (formatez la colonne en texte).",
        ]
        assert not result.written
        assert Employer.objects.count() == 1

    def test_missing_columns_are_named_in_one_error(self, operator):
        result = employers_import(csv_bytes("Nom;Adresse", "Commune;1 rue"), wet_run=True)
        assert messages_of(result) == ["Colonnes obligatoires manquantes : nature, siret."]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "Le fichier est vide."),
            (b"\xef\xbb\xbf\r\n", "Le fichier est vide."),
            (EMPLOYER_HEADER.encode() + b"\r\n;;;\r\n", "aucune ligne sous l'en-tête"),
            (b"nom;nature;siret\r\n\x81;commune;1", "ni en UTF-8 ni en Windows-1252"),
            (b"nom;nature;nom;siret\r\nA;commune;B;1", "Colonne en double"),
        ],
    )
    def test_unusable_files_are_refused(self, operator, data, message):
        result = employers_import(data, wet_run=True)
        assert len(result.errors) == 1
        assert result.errors[0].line is None
        assert message in result.errors[0].message

    def test_an_unknown_team_is_an_error(self, operator):
        data = csv_bytes("nom;nature;siret;equipe", f"A;commune;{siret(1)};Équipe fantôme")
        result = employers_import(data)
        assert messages_of(result) == [
            "Ligne 2, equipe : « Équipe fantôme » n'est pas une équipe connue."
        ]

    def test_without_an_operator_nothing_is_imported(self):
        result = employers_import(csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}"))
        assert messages_of(result) == [
            "Aucun opérateur n'est enregistré : créez-le avant d'importer."
        ]


def dry_and_wet(data: bytes, run=employers_import):
    """The dry run's report, then the wet run's: the two must say the same thing."""
    dry = run(data)
    wet = run(data, wet_run=True)
    assert messages_of(dry) == messages_of(wet)
    return wet


class TestDamagedFiles:
    """Files damaged by a tool or by hand get a French message with their line, never a
    traceback, and the dry run says what the wet run will do."""

    def test_a_nul_byte_is_refused_on_its_line_before_the_database_sees_it(self, operator):
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"B\x00C;epci;{siret(2)}")
        result = dry_and_wet(data)
        assert messages_of(result) == [
            "Ligne 3, nom : contient un caractère nul (octet 0x00) : le fichier est abîmé ou "
            "n'est pas du texte ; enregistrez-le au format « CSV UTF-8 »."
        ]
        assert not Employer.objects.exists()

    def test_a_nul_byte_in_a_siret_is_refused_too(self, employers):
        data = csv_bytes("siret;annee;effectif_total", f"{siret(1)}\x00;2025;42")
        result = dry_and_wet(data, headcounts_import)
        assert [error.line for error in result.errors] == [2]
        assert "caractère nul" in messages_of(result)[0]

    @pytest.mark.parametrize("delimiter", [";", "\t"])
    def test_a_utf16_file_from_excel_imports(self, operator, delimiter):
        # Excel's « Texte Unicode » is UTF-16 with a byte-order mark, tab-separated.
        lines = ["nom;nature;siret", f"Hôpital de Sète;Établissement public;{siret(1)}"]
        data = csv_bytes(*(line.replace(";", delimiter) for line in lines), encoding="utf-16")
        result = dry_and_wet(data)
        assert result.ok, messages_of(result)
        assert Employer.objects.get().name == "Hôpital de Sète"

    def test_an_unterminated_quote_is_named_with_its_line(self, operator):
        data = csv_bytes(
            "nom;nature;siret",
            f"A;commune;{siret(1)}",
            f'"B;commune;{siret(2)}',
            f"C;commune;{siret(3)}",
        )
        result = dry_and_wet(data)
        assert messages_of(result) == [
            "Ligne 3 : un guillemet ouvert sur cette ligne n'est jamais refermé ; vérifiez "
            'les guillemets (« " »).'
        ]
        assert not Employer.objects.exists()

    def test_a_stray_quote_after_a_quoted_cell_is_named_with_its_line(self, operator):
        data = csv_bytes("nom;nature;siret", f'"A" B;commune;{siret(1)}')
        result = dry_and_wet(data)
        assert messages_of(result) == [
            "Ligne 2 : un guillemet fermant est suivi d'autres caractères dans la même "
            "cellule ; à l'intérieur d'une cellule, doublez les guillemets (« \"\" »)."
        ]

    def test_an_over_long_cell_is_named_with_its_line_in_french(self, operator):
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"{'B' * 200_000};epci;1")
        result = dry_and_wet(data)
        assert messages_of(result) == [
            "Ligne 3 : une cellule dépasse 131\u202f072 caractères ; un guillemet est peut-être "
            "resté ouvert."
        ]

    def test_a_value_longer_than_its_field_is_named_with_its_line_and_column(self, operator):
        data = csv_bytes("nom;nature;siret", f"{'B' * 300};epci;{siret(1)}")
        result = dry_and_wet(data)
        assert messages_of(result) == [
            "Ligne 2, nom : Assurez-vous que cette valeur comporte au plus 200 caractères "
            "(actuellement 300)."
        ]

    def test_a_count_too_large_for_any_database_is_refused_alike(self, employers):
        data = csv_bytes("siret;annee;effectif_total", f"{siret(1)};2025;99999999999")
        result = dry_and_wet(data, headcounts_import)
        assert messages_of(result) == [
            "Ligne 2, effectif_total : nombre trop grand (2\u202f147\u202f483\u202f647 au plus)."
        ]

    @pytest.mark.parametrize("digits", ["²" * 14, "\u0663" * 14], ids=["superscript", "arabic"])
    def test_a_siret_of_other_digits_than_0_to_9_is_refused(self, operator, digits):
        # « ² » passes str.isdigit() but not int(); Arabic-Indic digits pass both.
        result = dry_and_wet(csv_bytes("nom;nature;siret", f"A;commune;{digits}"))
        assert messages_of(result) == ["Ligne 2, siret : Le SIRET compte 14 chiffres."]


class TestEmployerImport:
    def test_a_windows_1252_file_with_semicolons_imports(self, operator, team):
        data = csv_bytes(
            "Nom;Nature;SIRET;Adresse;Code postal;Commune;Contact RH;Courriel RH;"
            "Téléphone RH;Équipe",
            f"Communauté d'agglomération de l'Étang;EPCI;{siret(1)[:9]} {siret(1)[9:]};"
            "1 rue de l'Église;1000;Bourg-en-Bresse;Hélène Dupré;rh@etang.fr;04 74 00 00 00;"
            "equipe nord",
            f"CCAS de Sète;ccas / cias;{siret(2)};;34200;Sète;;;;",
            f"Préfecture de l'Aube;SERVICE DE L'ETAT;{siret(3)};;;;;;;",
            encoding="cp1252",
        )
        counsellor = team.counsellor
        result = employers_import(data, actor=counsellor, wet_run=True)

        assert result.ok, messages_of(result)
        assert (result.created, result.written) == (3, True)
        assert result.summary() == "3 employeurs importés."
        etang = Employer.objects.get(siret=siret(1))
        assert etang.name == "Communauté d'agglomération de l'Étang"
        assert (etang.kind, etang.team, etang.postcode) == ("epci", team, "01000")
        assert etang.hr_contact_name == "Hélène Dupré"
        assert Employer.objects.get(siret=siret(2)).kind == "ccas_cias"
        assert Employer.objects.get(siret=siret(3)).kind == "state_service"
        entries = AuditEntry.objects.filter(action="employer.create", actor=counsellor)
        assert entries.count() == 3

    def test_a_utf8_file_with_bom_and_commas_imports(self, operator):
        data = csv_bytes(
            "nom,nature,siret,commune",
            f'"Syndicat des eaux, de l\'Étang",Établissement public,{siret(1)},Saint-Étienne',
            f"Région Grand Est,region,{siret(2)},Strasbourg",
            encoding="utf-8-sig",
        )
        result = employers_import(data, wet_run=True)
        assert result.ok, messages_of(result)
        assert result.written
        syndicate = Employer.objects.get(siret=siret(1))
        assert syndicate.name == "Syndicat des eaux, de l'Étang"
        assert (syndicate.kind, syndicate.city) == ("public_body", "Saint-Étienne")

    def test_a_dry_run_checks_and_counts_but_writes_nothing(self, operator):
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"B;epci;{siret(2)}")
        result = employers_import(data)
        assert (result.ok, result.created, result.written) == (True, 2, False)
        assert result.summary() == "2 employeurs prêts à importer."
        assert not Employer.objects.exists()

    def test_a_failure_while_writing_undoes_every_line(self, operator, monkeypatch):
        real_create = imports.employer_create
        calls = []

        def fail_on_second(**fields):
            calls.append(fields["siret"])
            if len(calls) == 2:
                raise ValidationError("Un employeur avec ce SIRET existe déjà.")
            return real_create(**fields)

        monkeypatch.setattr(imports, "employer_create", fail_on_second)
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"B;epci;{siret(2)}")
        result = employers_import(data, wet_run=True)

        assert messages_of(result) == ["Ligne 3 : Un employeur avec ce SIRET existe déjà."]
        assert not result.written
        assert not Employer.objects.exists()
        assert not AuditEntry.objects.filter(action="employer.create").exists()


HEADCOUNT_HEADER = "siret;annee;effectif_total;titulaires;stagiaires;contractuels"


@pytest.fixture
def employers(operator):
    return [EmployerFactory(operator=operator, siret=siret(n)) for n in (1, 2)]


class TestHeadcountImport:
    def test_a_bad_file_writes_nothing_and_reports_every_error(self, employers):
        data = csv_bytes(
            HEADCOUNT_HEADER,
            f"{siret(1)};2025;-3;;;",
            f"{siret(50)};2025;10;;;",
            f"{siret(1)};25;10;;;",
            f"{siret(2)};2025;100;50;20;20",
            f"{siret(2)};2025;100;;;",
            f"{siret(1)};2024;10;8;5;",
            f"{siret(1)};2023;dix;;;",
        )
        result = headcounts_import(data, wet_run=True)

        assert messages_of(result)[:5] == [
            "Ligne 2, effectif_total : doit être un entier positif ou nul.",
            "Ligne 3, siret : Aucun employeur enregistré n'a ce SIRET.",
            f"Ligne 4, annee : doit être une année entre 1990 et {timezone.localdate().year + 1}.",
            "Ligne 5, titulaires + stagiaires + contractuels : la somme (90) ne correspond "
            "pas à l'effectif total (100).",
            "Ligne 6, siret : SIRET et année déjà présents ligne 5.",
        ]
        assert messages_of(result)[5:] == [
            "Ligne 7, titulaires + stagiaires + contractuels : la somme (13) dépasse "
            "l'effectif total (10).",
            "Ligne 8, effectif_total : doit être un entier positif ou nul.",
        ]
        assert not Headcount.objects.exists()

    def test_a_missing_column_is_an_error(self, employers):
        result = headcounts_import(csv_bytes("siret;annee", f"{siret(1)};2025"))
        assert messages_of(result) == ["Colonne obligatoire manquante : effectif_total."]

    def test_an_existing_year_is_updated_and_a_new_one_created(self, employers):
        first = employers[0]
        Headcount.objects.create(employer=first, year=2024, total=100, titulaire=100)
        data = csv_bytes(
            "SIRET;Année;Effectif total;Catégorie A;Catégorie B;Catégorie C",
            f"{siret(1)};2024;1 120;120;300;700",
            f"{siret(1)};2025;130;;;",
        )
        result = headcounts_import(data, wet_run=True)

        assert result.ok, messages_of(result)
        assert (result.created, result.updated, result.written) == (1, 1, True)
        assert result.summary() == "2 effectifs importés (1 nouveau, 1 mis à jour)."
        updated = Headcount.objects.get(employer=first, year=2024)
        assert (updated.total, updated.category_c, updated.titulaire) == (1120, 700, None)
        assert Headcount.objects.get(employer=first, year=2025).total == 130

    def test_parts_that_add_up_import(self, employers):
        data = csv_bytes(HEADCOUNT_HEADER, f"{siret(2)};2025;100;60;10;30")
        result = headcounts_import(data, wet_run=True)
        assert result.ok, messages_of(result)
        headcount = Headcount.objects.get(employer=employers[1], year=2025)
        assert (headcount.titulaire, headcount.stagiaire, headcount.contractuel) == (60, 10, 30)


class TestCommands:
    def run(self, name: str, path, *flags: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command(name, str(path), *flags, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_employers_dry_run_writes_nothing_then_wet_run_writes(self, operator, tmp_path):
        path = tmp_path / "employeurs.csv"
        path.write_bytes(
            csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"B;epci;{siret(2)}")
        )

        out, _ = self.run("import_employers", path)
        assert "2 employeurs prêts à importer." in out
        assert "Simulation : rien n'a été enregistré. Relancez avec --wet-run pour importer." in out
        assert not Employer.objects.exists()

        out, _ = self.run("import_employers", path, "--wet-run")
        assert "Enregistrement [" in out
        assert "2 employeurs importés." in out
        assert Employer.objects.count() == 2

    def test_errors_are_reported_and_the_command_fails(self, operator, tmp_path):
        path = tmp_path / "employeurs.csv"
        path.write_bytes(csv_bytes("nom;nature;siret", f"A;mairie;{siret(1)}"))
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 erreur : rien n'a été importé."):
            call_command("import_employers", str(path), "--wet-run", stderr=err)
        assert "Ligne 2, nature : « mairie » n'est pas une nature connue" in err.getvalue()
        assert not Employer.objects.exists()

    def test_an_unreadable_file_fails(self, tmp_path):
        with pytest.raises(CommandError, match="Impossible de lire"):
            call_command("import_employers", str(tmp_path / "absent.csv"))

    def test_headcounts_wet_run_writes(self, employers, tmp_path):
        path = tmp_path / "effectifs.csv"
        path.write_bytes(csv_bytes("siret;annee;effectif_total", f"{siret(1)};2025;42"))
        out, _ = self.run("import_headcounts", path)
        assert "1 effectif prêt à importer." in out
        assert not Headcount.objects.exists()
        out, _ = self.run("import_headcounts", path, "--wet-run")
        assert "1 effectif importé." in out
        assert Headcount.objects.get().total == 42


def upload(content: bytes, name: str = "fichier.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


EMPLOYER_URL = "organisations:employer_import"
HEADCOUNT_URL = "organisations:headcount_import"


class TestScreens:
    @pytest.mark.parametrize("url_name", [EMPLOYER_URL, HEADCOUNT_URL])
    @pytest.mark.parametrize("role", list(Role))
    def test_only_counsellors_and_billing_may_import(self, client_as, role, url_name):
        response = client_as(role).get(reverse(url_name))
        expected = 200 if role in (Role.COUNSELLOR, Role.BILLING) else 403
        assert response.status_code == expected

    def test_the_page_lists_the_expected_columns(self, client_as):
        response = client_as(Role.COUNSELLOR).get(reverse(HEADCOUNT_URL))
        content = response.content.decode()
        assert "Colonnes du fichier" in content
        assert "categorie_a" in content
        assert 'class="fr-upload"' in content

    @pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.BILLING])
    def test_preview_then_confirm_imports_employers(self, client_as, operator, role):
        client = client_as(role)
        url = reverse(EMPLOYER_URL)
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}", f"B;epci;{siret(2)}")

        preview = client.post(url, {"file": upload(data)})
        assert preview.status_code == 200
        assert "2 employeurs prêts à importer." in preview.content.decode()
        assert not Employer.objects.exists()

        confirm = client.post(url, {"token": preview.context["token"]})
        assert confirm.status_code == 302
        assert confirm.url == reverse("organisations:employer_list")
        assert Employer.objects.count() == 2
        actions = AuditEntry.objects.filter(action="employer.create", actor=client.user)
        assert actions.count() == 2

    def test_a_preview_with_errors_lists_them_and_offers_no_confirmation(self, client_as, operator):
        data = csv_bytes("nom;nature;siret", f"A;mairie;{bad_key(1)}")
        response = client_as(Role.COUNSELLOR).post(reverse(EMPLOYER_URL), {"file": upload(data)})
        content = " ".join(response.content.decode().split())
        assert "Rien n'a été importé : 2 erreurs à corriger" in content
        assert "« mairie » n&#x27;est pas une nature connue" in content
        assert response.context["token"] == ""
        assert 'name="token"' not in content

    def test_a_file_that_is_not_csv_is_refused(self, client_as, operator):
        response = client_as(Role.COUNSELLOR).post(
            reverse(EMPLOYER_URL), {"file": upload(b"nom;nature;siret", name="liste.xlsx")}
        )
        assert response.context["form"].errors["file"] == [
            "Choisissez un fichier .csv (dans Excel : Enregistrer sous, format CSV)."
        ]

    def test_a_file_over_5_mb_is_refused(self, client_as, operator):
        big = b"nom;nature;siret\r\n" + b"x" * (5 * 1024 * 1024)
        response = client_as(Role.COUNSELLOR).post(reverse(EMPLOYER_URL), {"file": upload(big)})
        assert response.context["form"].errors["file"] == ["Le fichier dépasse 5 Mo."]

    def test_a_confirmation_too_big_for_a_form_is_not_offered(self, client_as, operator, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = screens.TOKEN_MARGIN + 10
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}")
        response = client_as(Role.COUNSELLOR).post(reverse(EMPLOYER_URL), {"file": upload(data)})
        assert response.context["too_big"]
        assert 'name="token"' not in response.content.decode()

    def test_a_tampered_or_foreign_confirmation_imports_nothing(self, client_as, operator):
        client = client_as(Role.COUNSELLOR)
        data = csv_bytes("nom;nature;siret", f"A;commune;{siret(1)}")
        token = client.post(reverse(EMPLOYER_URL), {"file": upload(data)}).context["token"]

        tampered = client.post(reverse(EMPLOYER_URL), {"token": token[:-2] + "xx"})
        other_page = client.post(reverse(HEADCOUNT_URL), {"token": token})

        assert tampered.status_code == other_page.status_code == 302
        assert not Employer.objects.exists()

    def test_preview_then_confirm_updates_headcounts(self, client_as, employers):
        Headcount.objects.create(employer=employers[0], year=2025, total=10)
        client = client_as(Role.BILLING)
        url = reverse(HEADCOUNT_URL)
        data = csv_bytes("siret;annee;effectif_total", f"{siret(1)};2025;12", f"{siret(2)};2025;7")

        preview = client.post(url, {"file": upload(data)})
        assert "2 effectifs prêts à importer (1 nouveau, 1 mis à jour)." in (
            preview.content.decode()
        )
        client.post(url, {"token": preview.context["token"]})

        assert Headcount.objects.get(employer=employers[0], year=2025).total == 12
        assert Headcount.objects.get(employer=employers[1], year=2025).total == 7
