"""The convention printed for signature, from the operator's model, as PDF and ODT.

Two models (the operator's kind decides):
- a centre de gestion: its service convention (seed 002, CDG de Martinique): the initial
  review financed by the contribution, the hourly rate, quarterly recovery, the premises
  and the internal multidisciplinary committee;
- any other operator: the convention-type of circular 2007-38, annex V (conditions of the
  social worker's activity).

Both show the worker's time split for the employer from the FTE plan (about 0.8 FTE of
service and 0.2 FTE of management of the function for a full-time worker) with the
arithmetic of the circular's note 8: a worker at 80 % who gives half of her activity to
a service gives it (1 ETP × 80 %) × 50 % = 0,4 ETP.

One structure (`build`) feeds both formats, so that the PDF and the ODT say the same.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from polesocial.organisations.enums import BillingMode, BillingPeriod, OperatorKind
from polesocial.organisations.models import Convention, FteShare, Operator
from polesocial.organisations.rules import SERVICE_SHARE_CEILING

MANAGEMENT_SHARE = Decimal("1") - SERVICE_SHARE_CEILING

RECOVERY = {
    BillingPeriod.MONTHLY: "mensuellement",
    BillingPeriod.QUARTERLY: "trimestriellement",
    BillingPeriod.HALF_YEARLY: "semestriellement",
    BillingPeriod.YEARLY: "annuellement",
}


def fr_number(value: Decimal) -> str:
    """0.400 → « 0,4 »; 1.000 → « 1 » (no trailing zeros, decimal comma)."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


def fr_percent(value: Decimal) -> str:
    return f"{fr_number(Decimal(str(value)) * 100)} %"


def fr_money(value: Decimal) -> str:
    whole, cents = f"{Decimal(str(value)):.2f}".split(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{cents} €"


def fr_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…………"


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None  # first row: the header
    after: list[str] = field(default_factory=list)  # paragraphs below the table


@dataclass
class ConventionText:
    title: str
    subtitle: str
    sections: list[Section]
    signatures: list[str]
    notes: list[str]


@dataclass
class TimeSplit:
    """One worker's share of the employer (circular 2007-38, note 8)."""

    worker: str
    quotity: Decimal  # the worker's FTE, e.g. 0.8
    share: Decimal  # the fraction of her activity given to the employer, e.g. 0.5

    @property
    def employer_fte(self) -> Decimal:
        return self.quotity * self.share

    @property
    def service_fte(self) -> Decimal:
        return self.employer_fte * SERVICE_SHARE_CEILING

    @property
    def management_fte(self) -> Decimal:
        return self.employer_fte * MANAGEMENT_SHARE

    def arithmetic(self, employer: str) -> str:
        return (
            f"{self.worker}, à {fr_percent(self.quotity)} d'un temps plein, consacre "
            f"{fr_percent(self.share)} de son activité à {employer} : ETP consacré à "
            f"{employer} = (1 ETP × {fr_percent(self.quotity)}) × {fr_percent(self.share)} "
            f"= {fr_number(self.employer_fte)} ETP, dont environ "
            f"{fr_number(self.service_fte)} ETP de prestations de service social et "
            f"{fr_number(self.management_fte)} ETP de gestion de la fonction."
        )


def reference_year(convention: Convention, today: dt.date | None = None) -> int:
    """The year whose FTE plan the document shows: this year, or the first year of a
    convention that starts later."""
    today = today or timezone.localdate()
    return max(today.year, convention.starts_on.year)


def time_splits(convention: Convention, year: int) -> list[TimeSplit]:
    shares = (
        FteShare.objects.filter(employer=convention.employer_id, year=year)
        .select_related("worker__user")
        .order_by("worker__user__last_name", "worker__user__first_name", "pk")
    )
    return [
        TimeSplit(s.worker.user.full_name, Decimal(str(s.worker.fte)), Decimal(str(s.share)))
        for s in shares
    ]


def _parties(operator: Operator | None, convention: Convention) -> Section:
    employer = convention.employer
    op_name = operator.name if operator else "[nom de l'opérateur]"
    op_lines = [op_name]
    if operator and operator.address:
        op_lines.append(" ".join(operator.address.split()))
    if operator and operator.siret:
        op_lines.append(f"SIRET {operator.siret}")
    address = " ".join(p for p in (employer.street, employer.postcode, employer.city) if p)
    emp_lines = [employer.name, *([address] if address else []), f"SIRET {employer.siret}"]
    return Section(
        "Entre les soussignés",
        [
            ", ".join(op_lines) + ", ci-après « l'opérateur », d'une part,",
            "et",
            ", ".join(emp_lines) + ", ci-après « l'employeur », d'autre part,",
            "il est convenu ce qui suit.",
        ],
    )


def _time_section(title: str, convention: Convention, year: int) -> Section:
    employer = convention.employer.name
    splits = time_splits(convention, year)
    section = Section(
        title,
        [
            "Le temps de travail total de l'assistant(e) de service social (ASS) se répartit "
            "entre des prestations de service social auprès des services de sa zone "
            f"d'intervention (soit environ {fr_number(SERVICE_SHARE_CEILING)} ETP pour un(e) "
            "ASS à temps plein) et la gestion de la fonction : formation, documentation, "
            "études, observation sociale, réunions de service social… (soit environ "
            f"{fr_number(MANAGEMENT_SHARE)} ETP pour un(e) ASS à temps plein).",
        ],
    )
    if not splits:
        section.paragraphs.append(
            f"Aucune quote-part d'ETP n'est encore inscrite au plan {year} pour {employer} : "
            "elle sera fixée par la conseillère ou le conseiller technique (plan d'ETP)."
        )
        return section
    section.paragraphs.append(
        f"Temps consacré à {employer} en {year} (calcul d'ETP de la circulaire 2007-38, note 8) :"
    )
    section.table = [
        [
            "ASS",
            "Quotité",
            "Part de l'activité",
            "ETP pour l'employeur",
            "dont prestations",
            "dont gestion de la fonction",
        ],
        *(
            [
                s.worker,
                fr_percent(s.quotity),
                fr_percent(s.share),
                f"{fr_number(s.employer_fte)} ETP",
                f"{fr_number(s.service_fte)} ETP",
                f"{fr_number(s.management_fte)} ETP",
            ]
            for s in splits
        ),
    ]
    section.after = [s.arithmetic(employer) for s in splits]
    if len(splits) > 1:
        total = sum((s.employer_fte for s in splits), Decimal("0"))
        section.after.append(f"Total pour {employer} : {fr_number(total)} ETP.")
    return section


def _price_sentence(convention: Convention) -> str:
    mode = convention.billing_mode
    if mode == BillingMode.HOURLY:
        return f"Taux horaire de {fr_money(convention.hourly_rate)} par heure d'intervention."
    if mode == BillingMode.SESSIONS:
        return f"Prix d'une vacation (demi-journée) : {fr_money(convention.session_rate)}."
    return f"Montant annuel de la quote-part d'ETP : {fr_money(convention.fte_yearly_amount)}."


def _mobility_sentence(convention: Convention) -> str:
    """The convention covers social work unless it names the mobility service (issue 18)."""
    if convention.mobility_hourly_rate is None:
        return (
            "La convention couvre le service social du travail. Elle ne couvre pas "
            "l'accompagnement par la conseillère mobilité, dont le temps n'est pas facturé."
        )
    return (
        "La convention couvre aussi l'accompagnement par la conseillère mobilité "
        "(reclassement, inaptitude, formation), facturé sur une ligne distincte au taux "
        f"horaire de {fr_money(convention.mobility_hourly_rate)}."
    )


def _financial_section(title: str, convention: Convention) -> Section:
    paragraphs = []
    if convention.membership_contribution:
        paragraphs.append(
            "1re étape, l'état des lieux : l'entretien préalable avec l'employeur qui élabore "
            "l'état des lieux des besoins est financé par la cotisation annuelle de "
            f"{fr_money(convention.membership_contribution)}."
        )
        paragraphs.append(
            "2e étape, pour toutes les autres actions individuelles ou collectives : "
            + _price_sentence(convention)[0].lower()
            + _price_sentence(convention)[1:]
        )
    else:
        paragraphs.append(_price_sentence(convention))
    recovery = RECOVERY.get(BillingPeriod(convention.billing_period), "trimestriellement")
    paragraphs.append(
        f"Le recouvrement est effectué {recovery}, sur facture déposée sur Chorus Pro, "
        "par titre de recettes de l'opérateur."
    )
    paragraphs.append(
        "Le temps de gestion de la fonction n'est pas facturé. Les factures ne nomment "
        "aucun agent : elles portent les heures par nature d'intervention."
    )
    paragraphs.append(_mobility_sentence(convention))
    related = getattr(convention, "amendments", None)
    amendments = list(related.order_by("effective_from", "number")) if related else []
    if amendments:
        paragraphs.append("Avenants intervenus :")
        paragraphs += [a.summary for a in amendments]
    return Section(title, paragraphs)


def _duration_section(title: str, convention: Convention) -> Section:
    paragraphs = [
        f"La présente convention prend effet le {fr_date(convention.starts_on)}, "
        f"pour une première période allant jusqu'au {fr_date(convention.ends_on)}."
    ]
    if convention.tacit_renewal:
        paragraphs.append(
            "Elle est renouvelée annuellement par tacite reconduction, sauf résiliation par "
            f"l'une des parties avec un préavis de {convention.notice_months} mois avant "
            "son échéance."
        )
    else:
        paragraphs.append(
            "Elle n'est pas reconduite tacitement. Elle peut être résiliée par l'une des "
            f"parties avec un préavis de {convention.notice_months} mois."
        )
    paragraphs.append(
        "Toute modification de ses conditions, notamment de ses tarifs ou de la répartition "
        "du temps de travail, fait l'objet d'un avenant."
    )
    return Section(title, paragraphs)


def _cdg_model(operator, convention, year) -> ConventionText:
    employer = convention.employer.name
    premises = (
        "L'employeur met à disposition un local pour l'accueil de l'assistante sociale, "
        "permettant des entretiens confidentiels."
        if convention.premises_provided
        else "L'employeur prévoit la mise à disposition d'un local pour l'accueil de "
        "l'assistante sociale, permettant des entretiens confidentiels."
    )
    committee = (
        "L'employeur a créé une instance pluridisciplinaire interne."
        if convention.internal_committee_created
        else "L'employeur s'engage à créer une instance pluridisciplinaire interne."
    )
    sections = [
        _parties(operator, convention),
        Section(
            "Article 1 — Objet",
            [
                "La présente convention a pour objet la prestation d'accompagnement social des "
                f"agents de {employer} (fonctionnaires, stagiaires et contractuels) par une "
                "assistante sociale mise à disposition par l'opérateur, pour favoriser "
                "l'équilibre entre la vie professionnelle et la vie privée des agents et "
                "prévenir les difficultés avant qu'elles ne deviennent invalidantes, à "
                "l'échelle de l'agent, du service ou de la collectivité.",
                "Deux niveaux d'accompagnement sont possibles : une intervention individuelle "
                "auprès des agents, axée sur leur demande ; une intervention sociale d'intérêt "
                "collectif auprès d'une partie ou de l'ensemble des agents.",
            ],
        ),
        Section(
            "Article 2 — Intervention de l'assistante sociale",
            [
                "L'assistante sociale peut être saisie par l'agent, par l'employeur "
                "(ressources humaines ou encadrant), par le médecin de prévention ou "
                "l'infirmière en santé au travail, par les autres services de l'opérateur et "
                "par les services médico-sociaux externes.",
                "Elle effectue un entretien téléphonique pour une première évaluation de la "
                "demande, reçoit individuellement les agents (dans les locaux de l'opérateur, "
                "sur leur lieu de travail ou le site de permanence défini par l'employeur, au "
                "domicile de l'agent s'il est en arrêt), organise des actions de prévention et "
                "fournit un bilan annuel de son activité.",
                "Elle est tenue au secret professionnel : aucune information nominative sur "
                "un agent n'est transmise à l'employeur sans l'accord de l'agent.",
            ],
        ),
        Section(
            "Article 3 — Engagements de l'employeur",
            [
                "L'employeur définit la durée de l'intervention, en budgétise le coût et "
                "sollicite la délibération de son assemblée.",
                premises,
                committee,
                "L'employeur transmet à l'opérateur la convention signée.",
            ],
        ),
        _time_section("Article 4 — Répartition du temps de travail", convention, year),
        _financial_section("Article 5 — Conditions financières", convention),
        _duration_section("Article 6 — Durée, reconduction et résiliation", convention),
    ]
    return ConventionText(
        title="Convention de prestation d'accompagnement social des agents",
        subtitle=f"{operator.name if operator else 'Opérateur'} — {employer}",
        sections=sections,
        signatures=[
            f"Pour {operator.name if operator else 'l’opérateur'}, le président",
            f"Pour {employer}, l'autorité territoriale",
        ],
        notes=[],
    )


def _annex_v_model(operator, convention, year) -> ConventionText:
    employer = convention.employer.name
    op_name = operator.name if operator else "l'opérateur"
    sections = [
        _parties(operator, convention),
        Section(
            "Objet",
            [
                "La présente convention a pour objet de préciser les conditions de l'activité "
                "et les modalités d'organisation et de fonctionnement de l'assistant(e) de "
                f"service social (ASS) intervenant auprès de {employer}.",
                f"Elle définit les responsabilités de {op_name}, d'une part, et celles du chef "
                f"de service de {employer}, d'autre part.",
            ],
        ),
        Section(
            "I. — Positionnement de l'ASS et modalités de fonctionnement du service social",
            [
                f"{op_name} met à disposition de {employer} une prestation de service social "
                "du travail, adaptée à ses besoins, dans le respect des règles déontologiques "
                "de la profession.",
                "Le chef de service veille à ce que l'ASS soit identifié(e) dans son service "
                "(positionnement dans l'organigramme) et associé(e) à la vie du service, "
                "notamment dans le domaine de la gestion des ressources humaines.",
                f"{op_name} assure les moyens nécessaires à l'exercice de l'activité de l'ASS "
                "(frais de déplacement, matériel informatique et téléphonique). "
                + (
                    f"{employer} met à sa disposition un local permettant des entretiens "
                    "confidentiels."
                    if convention.premises_provided
                    else f"{employer} prévoit un local permettant des entretiens confidentiels."
                ),
            ],
        ),
        _time_section(
            "II. — Activité de l'ASS et répartition du temps de travail", convention, year
        ),
        _financial_section("III. — Conditions financières", convention),
        _duration_section("IV. — Date d'effet et durée", convention),
    ]
    return ConventionText(
        title="Convention relative aux conditions d'exercice de l'activité de l'assistant(e) "
        "de service social",
        subtitle=f"Convention-type de la circulaire 2007-38, annexe V — {op_name} — {employer}",
        sections=sections,
        signatures=[f"Pour {op_name}", f"Pour {employer}, le chef de service"],
        notes=[
            "Note 8 de la circulaire : si un(e) ASS travaille à 80 % et consacre la moitié "
            "de son activité à un service X, « ETP à consacrer au service X » = "
            "(1 ETP × 80 %) / 2 = 0,4 ETP."
        ],
    )


def build(convention: Convention, *, today: dt.date | None = None) -> ConventionText:
    """The convention's text from the operator's model (see the module's docstring)."""
    operator = convention.employer.operator
    year = reference_year(convention, today)
    if operator is not None and operator.kind == OperatorKind.MANAGEMENT_CENTRE:
        text = _cdg_model(operator, convention, year)
    else:
        text = _annex_v_model(operator, convention, year)
    reference = f" n° {convention.reference}" if convention.reference else ""
    text.subtitle = f"{text.subtitle}{reference}"
    return text


def convention_pdf(convention: Convention, *, today: dt.date | None = None) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is made

    html = render_to_string(
        "organisations/convention_pdf.html",
        {"text": build(convention, today=today), "convention": convention},
    )
    return HTML(string=html).write_pdf()


def convention_odt(convention: Convention, *, today: dt.date | None = None) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    text = build(convention, today=today)
    document = OpenDocumentText()
    title_style = Style(name="Titre convention", family="paragraph")
    title_style.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    title_style.addElement(ParagraphProperties(textalign="center", marginbottom="0.3cm"))
    heading_style = Style(name="Article", family="paragraph")
    heading_style.addElement(TextProperties(fontsize="12pt", fontweight="bold"))
    heading_style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
    body_style = Style(name="Corps", family="paragraph")
    body_style.addElement(ParagraphProperties(textalign="justify", marginbottom="0.2cm"))
    for style in (title_style, heading_style, body_style):
        document.styles.addElement(style)

    document.text.addElement(P(stylename=title_style, text=text.title))
    document.text.addElement(P(stylename=body_style, text=text.subtitle))
    for section in text.sections:
        document.text.addElement(H(outlinelevel=2, stylename=heading_style, text=section.title))
        for paragraph in section.paragraphs:
            document.text.addElement(P(stylename=body_style, text=paragraph))
        if section.table:
            table = Table(name=f"Tableau{len(document.text.childNodes)}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(section.table[0])))
            for values in section.table:
                row = TableRow()
                for value in values:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                    row.addElement(cell)
                table.addElement(row)
            document.text.addElement(table)
        for paragraph in section.after:
            document.text.addElement(P(stylename=body_style, text=paragraph))
    document.text.addElement(P(stylename=body_style, text="Fait en deux exemplaires, le …………"))
    for signature in text.signatures:
        document.text.addElement(P(stylename=body_style, text=signature))
    for note in text.notes:
        document.text.addElement(P(stylename=body_style, text=note))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
