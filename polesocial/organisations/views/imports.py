"""Screens that import employers and headcounts from CSV: upload, preview, confirm.

The preview is a dry run. Browsers cannot post a file twice, so the confirmation carries
the file's text in a hidden field, signed (and compressed) with `django.core.signing`,
bound to the user and to the kind of import, valid for an hour: the server keeps nothing
between the two steps and a tampered text is refused. The wet run checks everything again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from polesocial.organisations.imports import (
    EMPLOYER_COLUMNS,
    HEADCOUNT_COLUMNS,
    Column,
    ImportResult,
    decode,
    employers_import,
    headcounts_import,
)
from polesocial.privacy.features import feature_required

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CONFIRMATION_SALT = "polesocial.organisations.imports"
TOKEN_MAX_AGE = 60 * 60
# The hidden field counts against Django's limit on a POST body without files.
TOKEN_MARGIN = 64 * 1024


@dataclass(frozen=True)
class ImportPage:
    """What differs between the two import screens."""

    key: str
    title: str
    intro: str
    columns: tuple[Column, ...]
    run: Callable[..., ImportResult]

    @property
    def example_header(self) -> str:
        return ";".join(column.name for column in self.columns)


EMPLOYERS = ImportPage(
    key="employers",
    title="Importer des employeurs",
    intro=(
        "Créez plusieurs employeurs à partir d'un fichier CSV. Un SIRET déjà enregistré est "
        "refusé : cet import crée des employeurs, il ne les modifie pas."
    ),
    columns=EMPLOYER_COLUMNS,
    run=employers_import,
)
HEADCOUNTS = ImportPage(
    key="headcounts",
    title="Importer des effectifs",
    intro=(
        "Enregistrez les effectifs annuels des employeurs, retrouvés par leur SIRET. "
        "Une année déjà saisie pour un employeur est remplacée par celle du fichier."
    ),
    columns=HEADCOUNT_COLUMNS,
    run=headcounts_import,
)


class UploadInput(forms.FileInput):
    # django-dsfr's field template reads the wrapper's class from the widget.
    group_class = "fr-upload-group"


class ImportUploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV",
        help_text=(
            "Séparateur « ; », « , » ou tabulation, encodage UTF-8, UTF-16 ou Windows-1252 "
            "(les formats CSV d'Excel), 5 Mo au plus."
        ),
        widget=UploadInput(attrs={"class": "fr-upload", "accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(
                "Choisissez un fichier .csv (dans Excel : Enregistrer sous, format CSV)."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo.")
        return upload


def _sign(request, page: ImportPage, text: str) -> str:
    payload = {"page": page.key, "user": request.user.pk, "text": text}
    return signing.dumps(payload, salt=CONFIRMATION_SALT, compress=True)


def _unsign(request, page: ImportPage) -> str | None:
    """The file's text from a valid confirmation of this page by this user, else None."""
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=CONFIRMATION_SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return None
    if payload.get("page") != page.key or payload.get("user") != request.user.pk:
        return None
    return payload.get("text")


def _token_fits(token: str) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or len(token) < limit - TOKEN_MARGIN


def _render(request, page: ImportPage, **context):
    defaults = {"form": ImportUploadForm(), "result": None, "token": "", "too_big": False}
    context = {"page": page, **defaults, **context}
    return render(request, "organisations/import.html", context)


def _preview(request, page: ImportPage):
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, page, form=form)
    data = form.cleaned_data["file"].read()
    result = page.run(data, actor=request.user, wet_run=False)
    if not result.ok:
        return _render(request, page, result=result)
    token = _sign(request, page, decode(data))
    if not _token_fits(token):
        return _render(request, page, result=result, too_big=True)
    return _render(request, page, result=result, token=token)


def _confirm(request, page: ImportPage):
    text = _unsign(request, page)
    if text is None:
        messages.error(
            request, "Cette confirmation n'est plus valable : déposez à nouveau le fichier."
        )
        return redirect(request.path)
    result = page.run(text, actor=request.user, wet_run=True)
    if not result.ok:
        return _render(request, page, result=result)
    messages.success(request, result.summary())
    return redirect("organisations:employer_list")


def _import_page(request, page: ImportPage):
    if request.method == "GET":
        return _render(request, page)
    if "token" in request.POST:
        return _confirm(request, page)
    return _preview(request, page)


@feature_required("organisations_manage")
@require_http_methods(["GET", "POST"])
def employer_import(request):
    """Upload an employers CSV, read the dry-run report, then confirm the import."""
    return _import_page(request, EMPLOYERS)


@feature_required("organisations_manage")
@require_http_methods(["GET", "POST"])
def headcount_import(request):
    """Upload a headcounts CSV, read the dry-run report, then confirm the import."""
    return _import_page(request, HEADCOUNTS)
