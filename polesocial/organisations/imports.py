"""All-or-nothing CSV imports of employers and of yearly headcounts.

Both imports read the files Excel writes (`;`, `,` or tab; UTF-8 with or without BOM,
UTF-16 with BOM, or Windows-1252), check every line before writing anything and, on a
wet run with no error, write every line through the services in one transaction. Errors
name the line as Excel numbers its rows (the header is line 1) and the column, in French.
A damaged file (NUL byte, quote never closed, huge cell) is reported the same way, and the
dry run refuses whatever the database would refuse. The command and the screen share the
`ImportResult`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone

from polesocial.organisations.enums import EmployerKind
from polesocial.organisations.models import Employer, Headcount, Operator, Team
from polesocial.organisations.rules import breakdown_mismatch
from polesocial.organisations.services import employer_create, headcount_set
from polesocial.organisations.validators import normalise_siret, validate_siret

if TYPE_CHECKING:
    from polesocial.users.models import User

Progress = Callable[[int, int], None]

MISSING = "valeur obligatoire manquante."
NOT_A_COUNT = "doit être un entier positif ou nul."
# PostgreSQL's integer: a larger count would pass the checks of SQLite and fail the write.
MAX_COUNT = 2_147_483_647
NUL = (
    "contient un caractère nul (octet 0x00) : le fichier est abîmé ou n'est pas du texte ; "
    "enregistrez-le au format « CSV UTF-8 »."
)
FIRST_YEAR = 1990


class FileError(Exception):
    """The file cannot be used (encoding, empty, missing columns, no operator, broken CSV).

    `line` is set when the reading stopped on one line (a quote never closed).
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def french_number(value: int) -> str:
    """131072 → « 131 072 », with the narrow no-break space French typography uses."""
    return f"{value:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Column:
    """A CSV column: its French name, the model field it fills and whether it is required.

    A required column must be in the header and filled on every line; an optional one
    may be absent or left empty.
    """

    name: str
    field: str
    required: bool
    help: str


EMPLOYER_COLUMNS = (
    Column("nom", "name", True, "Nom de l'employeur."),
    Column("nature", "kind", True, "Code ou libellé : " + ", ".join(EmployerKind.labels) + "."),
    Column("siret", "siret", True, "14 chiffres, espaces acceptés."),
    Column("adresse", "street", False, "Numéro et voie."),
    Column("code_postal", "postcode", False, "Code postal."),
    Column("commune", "city", False, "Commune."),
    Column("contact_rh", "hr_contact_name", False, "Nom du contact RH."),
    Column("courriel_rh", "hr_contact_email", False, "Adresse électronique du contact RH."),
    Column("telephone_rh", "hr_contact_phone", False, "Téléphone du contact RH."),
    Column("equipe", "team", False, "Nom exact d'une équipe existante."),
)

HEADCOUNT_COLUMNS = (
    Column("siret", "employer", True, "SIRET d'un employeur déjà enregistré."),
    Column("annee", "year", True, "Année sur quatre chiffres, par exemple 2025."),
    Column("effectif_total", "total", True, "Nombre d'agents, entier positif ou nul."),
    Column("titulaires", "titulaire", False, "Agents titulaires."),
    Column("stagiaires", "stagiaire", False, "Agents stagiaires."),
    Column("contractuels", "contractuel", False, "Agents contractuels."),
    Column("categorie_a", "category_a", False, "Agents de catégorie A."),
    Column("categorie_b", "category_b", False, "Agents de catégorie B."),
    Column("categorie_c", "category_c", False, "Agents de catégorie C."),
)
# Each group, when given in full, must add up to the total.
PART_GROUPS = (
    ("titulaires", "stagiaires", "contractuels"),
    ("categorie_a", "categorie_b", "categorie_c"),
)


@dataclass(frozen=True)
class LineError:
    """One problem: `line` as Excel numbers it (None for the whole file) and its column."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"Ligne {self.line}, {self.column}" if self.column else f"Ligne {self.line}"
        return f"{where} : {self.message}"


@dataclass
class ImportResult:
    """What an import found and did: counts planned (dry run) or done (`written`)."""

    singular: str
    plural: str
    created: int = 0
    updated: int = 0
    errors: list[LineError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        """« 3 effectifs prêts à importer (2 nouveaux, 1 mis à jour). »"""
        many = self.total > 1
        noun = self.plural if many else self.singular
        if self.written:
            state = "importés" if many else "importé"
        else:
            state = "prêts à importer" if many else "prêt à importer"
        detail = ""
        if self.updated:
            new = "nouveaux" if self.created > 1 else "nouveau"
            detail = f" ({self.created} {new}, {self.updated} mis à jour)"
        return f"{self.total} {noun} {state}{detail}."


@dataclass(frozen=True)
class Row:
    """A data line: its Excel line number and its cells by normalised column name."""

    line: int
    cells: dict[str, str]
    overflows: bool = False

    def get(self, name: str) -> str:
        return self.cells.get(name, "")


@dataclass(frozen=True)
class PlannedWrite:
    """The service call that imports one line, run only on a wet run."""

    line: int
    apply: Callable[[], object]
    updates: bool = False


# Reading the file ---------------------------------------------------------------------


def decode(data: bytes | str) -> str:
    """Text of the file: strict UTF-8 (BOM or not) first, since Windows-1252 accepts nearly
    any bytes and would garble a UTF-8 file; Windows-1252 (Excel's « CSV ») otherwise."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's « Texte Unicode »: read as UTF-8 or Windows-1252, every other byte is NUL.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileError(
                "Le fichier se dit en UTF-16 mais il est abîmé : dans Excel, enregistrez-le au "
                "format « CSV UTF-8 »."
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileError(
            "Le fichier n'est ni en UTF-8 ni en Windows-1252 : dans Excel, enregistrez-le "
            "au format « CSV UTF-8 »."
        ) from exc


def sniff_delimiter(header_line: str) -> str:
    """`;` (Excel in French), `,` or tab (Excel's « Texte Unicode »): the one the header
    line uses most, `,` on a tie."""
    return max((",", ";", "\t"), key=header_line.count)


def simplify(text: str) -> str:
    """Lower case, no accents, runs of other characters as `_`: « Code postal » → code_postal."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def read_rows(data: bytes | str, columns: tuple[Column, ...]) -> tuple[list[Row], list[str]]:
    """The non-blank data lines of the file, and the header's unknown (ignored) columns."""
    text = decode(data)
    if not text.strip():
        raise FileError("Le fichier est vide.")
    records = _records(text, sniff_delimiter(text.splitlines()[0]))
    header = [simplify(name) for name in records[0]]
    _check_header(header, columns)
    rows = [_row(line, header, cells) for line, cells in enumerate(records[1:], start=2)]
    rows = [row for row in rows if row is not None]
    if not rows:
        raise FileError("Le fichier ne contient aucune ligne sous l'en-tête.")
    known = {column.name for column in columns}
    return rows, [name for name in header if name and name not in known]


def _records(text: str, delimiter: str) -> list[list[str]]:
    """Every record of the CSV text; a broken one stops the reading, named by its line."""
    # Strict: a quote left open is an error, not a cell that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    while True:
        try:
            records.append(next(reader))
        except StopIteration:
            return records
        except csv.Error as exc:
            raise FileError(_csv_problem(str(exc)), line=len(records) + 1) from exc


def _csv_problem(error: str) -> str:
    """The French for the `csv` module's English errors."""
    if "field limit" in error:
        limit = french_number(csv.field_size_limit())
        return f"une cellule dépasse {limit} caractères ; un guillemet est peut-être resté ouvert."
    if "unexpected end of data" in error:
        return (
            "un guillemet ouvert sur cette ligne n'est jamais refermé ; vérifiez les "
            'guillemets (« " »).'
        )
    if "expected after" in error:
        return (
            "un guillemet fermant est suivi d'autres caractères dans la même cellule ; à "
            "l'intérieur d'une cellule, doublez les guillemets (« \"\" »)."
        )
    return "ligne illisible : vérifiez le séparateur et les guillemets."


def _check_header(header: list[str], columns: tuple[Column, ...]) -> None:
    named = [name for name in header if name]
    doubles = sorted({name for name in named if named.count(name) > 1})
    if doubles:
        raise FileError(f"Colonne en double dans l'en-tête : {', '.join(doubles)}.")
    missing = [c.name for c in columns if c.required and c.name not in header]
    if not missing:
        return
    label = (
        "Colonnes obligatoires manquantes" if len(missing) > 1 else "Colonne obligatoire manquante"
    )
    hint = " (le séparateur doit être « ; », « , » ou une tabulation)" if len(header) == 1 else ""
    raise FileError(f"{label} : {', '.join(missing)}{hint}.")


def _row(line: int, header: list[str], cells: list[str]) -> Row | None:
    # Excel leaves lines of bare separators under the data: they are not lines to import.
    if not any(cell.strip() for cell in cells):
        return None
    overflows = any(cell.strip() for cell in cells[len(header) :])
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
    return Row(line, values, overflows)


# Values -------------------------------------------------------------------------------


def parse_siret(value: str) -> str:
    """The SIRET without spaces, or a ValidationError saying what Excel may have done."""
    siret = normalise_siret(value)
    if re.fullmatch(r"[0-9]{13}", siret):
        raise ValidationError(
            "Le SIRET compte 14 chiffres ; celui-ci en a 13 : Excel a peut-être retiré "
            "le zéro initial (formatez la colonne en texte)."
        )
    if "E+" in siret.upper():
        raise ValidationError(
            "Excel a écrit ce SIRET en notation scientifique : formatez la colonne en texte."
        )
    validate_siret(siret)
    return siret


def parse_count(value: str) -> int:
    """A non-negative integer; Excel's thousands separators (spaces) are accepted."""
    digits = "".join(value.split())
    if not re.fullmatch(r"[0-9]+", digits):
        raise ValidationError(NOT_A_COUNT)
    if int(digits) > MAX_COUNT:
        raise ValidationError(f"nombre trop grand ({french_number(MAX_COUNT)} au plus).")
    return int(digits)


def parse_year(value: str) -> int:
    last = timezone.localdate().year + 1
    if not re.fullmatch(r"[0-9]{4}", value) or not FIRST_YEAR <= int(value) <= last:
        raise ValidationError(f"doit être une année entre {FIRST_YEAR} et {last}.")
    return int(value)


def kind_lookup() -> dict[str, str]:
    """Employer kinds by simplified code and label: « CCAS / CIAS » and ccas_cias match."""
    lookup = {simplify(kind.value): kind.value for kind in EmployerKind}
    lookup |= {simplify(kind.label): kind.value for kind in EmployerKind}
    return lookup


def _model_errors(
    line: int, instance: models.Model, columns: Iterable[Column], exclude: set[str]
) -> list[LineError]:
    """The model's own field checks (lengths, e-mail…), so that the wet run cannot fail."""
    column_of = {column.field: column.name for column in columns}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return [
            LineError(line, column_of.get(name, ""), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


class _Checker:
    """Collects the errors of one line and remembers which fields failed."""

    def __init__(self, row: Row):
        self.row = row
        self.errors: list[LineError] = []
        self.failed: set[str] = set()
        if row.overflows:
            self.fail(
                None, "cette ligne a plus de cellules que l'en-tête : vérifiez le séparateur."
            )

    def fail(self, column: Column | None, message: str) -> None:
        self.errors.append(LineError(self.row.line, column.name if column else "", message))
        if column:
            self.failed.add(column.field)

    def value(self, column: Column, parse: Callable[[str], object] | None = None) -> object:
        """The parsed cell; None when it is empty (an error if required) or invalid."""
        raw = self.row.get(column.name)
        if not raw:
            if column.required:
                self.fail(column, MISSING)
            return None
        if "\x00" in raw:
            # PostgreSQL refuses NUL in text: the wet run would fail where the dry run passed.
            self.fail(column, NUL)
            return None
        try:
            return parse(raw) if parse else raw
        except ValidationError as exc:
            for message in exc.messages:
                self.fail(column, message)
            return None


# Employers ----------------------------------------------------------------------------


@dataclass
class _EmployerContext:
    operator: Operator
    teams: dict[str, Team]
    kinds: dict[str, str]
    in_database: set[str]
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, operator: Operator, rows: list[Row]) -> _EmployerContext:
        return cls(
            operator=operator,
            teams={simplify(team.name): team for team in Team.objects.filter(operator=operator)},
            kinds=kind_lookup(),
            in_database=set(
                Employer.objects.filter(siret__in=_sirets(rows)).values_list("siret", flat=True)
            ),
        )

    def kind(self, value: str) -> str:
        if simplify(value) not in self.kinds:
            known = ", ".join(EmployerKind.labels)
            raise ValidationError(f"« {value} » n'est pas une nature connue ({known}).")
        return self.kinds[simplify(value)]

    def team(self, value: str) -> Team:
        if simplify(value) not in self.teams:
            raise ValidationError(f"« {value} » n'est pas une équipe connue.")
        return self.teams[simplify(value)]

    def new_siret(self, line: int, value: str) -> str:
        siret = parse_siret(value)
        if siret in self.seen:
            raise ValidationError(f"SIRET déjà présent ligne {self.seen[siret]}.")
        self.seen[siret] = line
        if siret in self.in_database:
            raise ValidationError("Un employeur avec ce SIRET est déjà enregistré.")
        return siret


def _sirets(rows: list[Row]) -> set[str]:
    """The well-formed SIRETs of the file: only they are looked up (a NUL would break the
    query on PostgreSQL), the others are reported by the line checks."""
    sirets = {normalise_siret(row.get("siret")) for row in rows}
    return {siret for siret in sirets if re.fullmatch(r"[0-9]{14}", siret)}


def _postcode(value: str) -> str:
    # Excel reads 01000 as a number and writes it back as 1000: the lost zero is certain.
    return value.zfill(5) if re.fullmatch(r"[0-9]{4}", value) else value


def _employer_line(row: Row, ctx: _EmployerContext) -> tuple[dict, list[LineError]]:
    """The `employer_create` arguments for one line, and the line's errors."""
    check = _Checker(row)
    parsers: dict[str, Callable[[str], object]] = {
        "nature": ctx.kind,
        "siret": partial(ctx.new_siret, row.line),
        "code_postal": _postcode,
        "equipe": ctx.team,
    }
    fields: dict = {"operator": ctx.operator}
    for column in EMPLOYER_COLUMNS:
        value = check.value(column, parsers.get(column.name))
        if value is not None:
            fields[column.field] = value
    exclude = {"operator", "team", *check.failed}
    instance = Employer(**fields)
    check.errors += _model_errors(row.line, instance, EMPLOYER_COLUMNS, exclude)
    return fields, check.errors


def _only_operator() -> Operator:
    try:
        return Operator.objects.get()
    except Operator.DoesNotExist as exc:
        raise FileError("Aucun opérateur n'est enregistré : créez-le avant d'importer.") from exc
    except Operator.MultipleObjectsReturned as exc:
        raise FileError("Plusieurs opérateurs sont enregistrés : précisez lequel.") from exc


def employers_import(
    data: bytes | str,
    *,
    actor: User | None = None,
    operator: Operator | None = None,
    wet_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every line of an employers CSV; on a wet run with no error, create them all.

    `operator` defaults to the installation's only operator. A SIRET already present in
    the file or in the database is an error: this import creates, it never updates.
    """

    def plan(rows: list[Row], errors: list[LineError]) -> list[PlannedWrite]:
        ctx = _EmployerContext.build(operator or _only_operator(), rows)
        writes = []
        for row in rows:
            fields, line_errors = _employer_line(row, ctx)
            errors += line_errors
            if not line_errors:
                writes.append(
                    PlannedWrite(row.line, partial(employer_create, actor=actor, **fields))
                )
        return writes

    result = ImportResult("employeur", "employeurs")
    return _run(result, data, EMPLOYER_COLUMNS, plan, wet_run=wet_run, progress=progress)


# Headcounts ---------------------------------------------------------------------------


@dataclass
class _HeadcountContext:
    employers: dict[str, Employer]
    recorded: set[tuple[int, int]]
    seen: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: list[Row]) -> _HeadcountContext:
        employers = {e.siret: e for e in Employer.objects.filter(siret__in=_sirets(rows))}
        recorded = Headcount.objects.filter(employer__in=employers.values())
        return cls(employers, set(recorded.values_list("employer_id", "year")))

    def employer(self, value: str) -> Employer:
        siret = parse_siret(value)
        if siret not in self.employers:
            raise ValidationError("Aucun employeur enregistré n'a ce SIRET.")
        return self.employers[siret]


def _column(name: str) -> Column:
    return next(column for column in HEADCOUNT_COLUMNS if column.name == name)


def _check_parts(check: _Checker, figures: dict[str, int | None]) -> None:
    """A group given in full must add up to the total; a partial one must not exceed it."""
    total = figures["effectif_total"]
    for group in PART_GROUPS:
        if total is None or any(_column(name).field in check.failed for name in group):
            continue
        mismatch = breakdown_mismatch(total, [figures[name] for name in group])
        if mismatch:
            message = f"la somme {mismatch}."
            check.errors.append(LineError(check.row.line, " + ".join(group), message))


def _headcount_line(
    row: Row, ctx: _HeadcountContext, actor: User | None
) -> tuple[PlannedWrite | None, list[LineError]]:
    """The `headcount_set` call for one line (None if it has errors), and the errors."""
    check = _Checker(row)
    parsers = {"siret": ctx.employer, "annee": parse_year}
    values = {c.name: check.value(c, parsers.get(c.name, parse_count)) for c in HEADCOUNT_COLUMNS}
    employer, year = values.pop("siret"), values.pop("annee")
    _check_parts(check, values)
    if isinstance(employer, Employer) and isinstance(year, int):
        first = ctx.seen.setdefault((employer.siret, year), row.line)
        if first != row.line:
            check.fail(_column("siret"), f"SIRET et année déjà présents ligne {first}.")
    # Absent parts are written as empty: the file is the year's figure, in full.
    figures = {_column(name).field: value for name, value in values.items()}
    exclude = {"employer", *check.failed}
    instance = Headcount(year=year, **figures)
    check.errors += _model_errors(row.line, instance, HEADCOUNT_COLUMNS, exclude)
    if check.errors:
        return None, check.errors
    apply = partial(headcount_set, actor=actor, employer=employer, year=year, **figures)
    return PlannedWrite(row.line, apply, (employer.pk, year) in ctx.recorded), []


def headcounts_import(
    data: bytes | str,
    *,
    actor: User | None = None,
    wet_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every line of a headcounts CSV; on a wet run with no error, record them all.

    The employer must exist (found by SIRET). A year already recorded for an employer is
    replaced: that is what the yearly import is for.
    """

    def plan(rows: list[Row], errors: list[LineError]) -> list[PlannedWrite]:
        ctx = _HeadcountContext.build(rows)
        writes = []
        for row in rows:
            write, line_errors = _headcount_line(row, ctx, actor)
            errors += line_errors
            if write is not None:
                writes.append(write)
        return writes

    result = ImportResult("effectif", "effectifs")
    return _run(result, data, HEADCOUNT_COLUMNS, plan, wet_run=wet_run, progress=progress)


# Running ------------------------------------------------------------------------------


def _run(
    result: ImportResult,
    data: bytes | str,
    columns: tuple[Column, ...],
    plan: Callable[[list[Row], list[LineError]], list[PlannedWrite]],
    *,
    wet_run: bool,
    progress: Progress | None,
) -> ImportResult:
    try:
        rows, result.ignored_columns = read_rows(data, columns)
        writes = plan(rows, result.errors)
    except FileError as exc:
        result.errors.append(LineError(exc.line, "", str(exc)))
        return result
    result.updated = sum(write.updates for write in writes)
    result.created = len(writes) - result.updated
    if wet_run and result.ok:
        _write_all(result, writes, progress)
    return result


def _write_all(result: ImportResult, writes: list[PlannedWrite], progress: Progress | None) -> None:
    """Every write in one transaction: the first failure undoes those before it."""
    line = None
    try:
        with transaction.atomic():
            for done, write in enumerate(writes, start=1):
                line = write.line
                write.apply()
                if progress:
                    progress(done, len(writes))
    except ValidationError as exc:
        # Data changed between the checks and the writes (another import, another user).
        result.errors.append(LineError(line, "", " ".join(exc.messages)))
        return
    except IntegrityError:
        message = "conflit avec une donnée enregistrée entre-temps ; relancez l'import."
        result.errors.append(LineError(line, "", message))
        return
    except DataError:
        # The checks should have caught it (see the import tests' property on dry and wet
        # runs); if one slips through, the user still reads French and nothing is written.
        message = "la base de données refuse une valeur de cette ligne ; rien n'a été importé."
        result.errors.append(LineError(line, "", message))
        return
    result.written = True
