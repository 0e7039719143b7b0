"""Build the draft invoices of a quarter (dry run unless --wet-run)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, transaction

from polesocial.billing import rules, services
from polesocial.organisations.models import Employer

BUSY = (
    "La base est occupée depuis trop longtemps, sans doute par une autre préparation de "
    "facturation : relancez la commande quand elle sera terminée. Rien n'a été enregistré."
)


class DryRun(Exception):
    """Raised to roll the run back once it has been shown."""


class Command(BaseCommand):
    help = (
        "Prépare les brouillons de factures d'un trimestre : un par employeur et période de "
        "facturation close dans le trimestre, avec du temps facturable ou une cotisation due. "
        "Sans --wet-run, rien n'est enregistré. Les brouillons existants sont refaits ; une "
        "facture émise ne change jamais."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Année (ex. 2026).")
        parser.add_argument("--quarter", type=int, required=True, choices=(1, 2, 3, 4))
        parser.add_argument(
            "--wet-run", action="store_true", help="Enregistre les brouillons (sinon : essai)."
        )
        parser.add_argument(
            "--issue", action="store_true", help="Émet aussi les brouillons (avec --wet-run)."
        )
        parser.add_argument(
            "--final-employer",
            action="append",
            default=[],
            metavar="SIRET",
            help="Facture finale d'un employeur dont la convention a pris fin, avant la fin "
            "du trimestre (répétable ; avec --reason, inscrite au journal).",
        )
        parser.add_argument("--reason", default="", help="Motif de la facture finale.")

    def handle(self, *args, year: int, quarter: int, wet_run: bool, issue: bool, **options):
        if issue and not wet_run:
            raise CommandError("--issue n'a de sens qu'avec --wet-run.")
        mode = "" if wet_run else " (essai : rien n'est enregistré)"
        label = rules.period_label(year, 3, quarter)
        self.stdout.write(f"Facturation du {label}{mode}")
        final = options["final_employer"]
        try:
            with transaction.atomic():
                self._run(year, quarter, issue, final, options["reason"])
                if not wet_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Essai terminé : relancez avec --wet-run pour enregistrer.")
        except ValidationError as error:  # the service's refusal, in its French words
            raise CommandError(" ".join(error.messages)) from error
        except OperationalError as error:
            # SQLite lets a writer wait for another one `timeout` seconds, then gives up.
            if "locked" not in str(error):
                raise
            raise CommandError(BUSY) from error

    def _run(self, year: int, quarter: int, issue: bool, final: list[str], reason: str) -> None:
        if final:
            employers = list(Employer.objects.filter(siret__in=final))
            if unknown := sorted(set(final) - {e.siret for e in employers}):
                raise CommandError(f"Aucun employeur de SIRET {', '.join(unknown)}.")
            drafts = services.invoice_run_final(
                actor=None, year=year, quarter=quarter, employers=employers, reason=reason
            )
        else:
            drafts = services.invoice_run(actor=None, year=year, quarter=quarter)
        total = len(drafts)
        for n, invoice in enumerate(drafts, start=1):
            if issue:
                invoice = services.invoice_issue(actor=None, invoice=invoice)
            hours = rules.format_minutes(sum(line.minutes for line in invoice.lines.all()))
            self.stdout.write(
                f"[{n}/{total}] {invoice.employer.name} — {invoice.period_label} — "
                f"{hours} — {invoice.total} € {invoice.number}".rstrip()
            )
        amount = sum((i.total for i in drafts), 0)
        self.stdout.write(
            self.style.SUCCESS(f"{total} facture(s) préparée(s), {amount} € au total.")
        )
