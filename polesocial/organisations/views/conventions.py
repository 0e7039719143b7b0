from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from polesocial.core.forms import done, saved
from polesocial.organisations import convention_documents, rules, services
from polesocial.organisations.enums import ConventionStatus
from polesocial.organisations.forms import (
    ConventionAmendmentForm,
    ConventionForm,
    ConventionScanForm,
    ConventionSignForm,
    ConventionTerminateForm,
)
from polesocial.organisations.models import Convention, ConventionAmendment, Employer
from polesocial.privacy.access import visible_or_404
from polesocial.privacy.features import can_use, feature_required


def _convention(request, pk: int) -> Convention:
    return visible_or_404(Convention.objects.select_related("employer"), request.user, pk=pk)


@feature_required("organisations_manage")
def convention_create(request, employer_pk: int):
    employer = visible_or_404(Employer, request.user, pk=employer_pk)
    form = ConventionForm(request.POST or None, initial={"hourly_rate": "60.00"})
    form.instance.employer = employer
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: services.convention_create(actor=request.user, employer=employer, **data),
            "Convention créée à l'état de brouillon.",
        )
    ):
        return redirect("organisations:convention_detail", pk=done.result.pk)
    context = {"form": form, "employer": employer, "title": f"Nouvelle convention — {employer}"}
    return render(request, "organisations/convention_form.html", context)


@feature_required("organisations_manage")
def convention_update(request, pk: int):
    convention = _convention(request, pk)
    form = ConventionForm(request.POST or None, instance=convention)
    if request.method == "POST" and saved(
        request,
        form,
        lambda data: services.convention_update(actor=request.user, convention=convention, **data),
        "Convention enregistrée.",
    ):
        return redirect("organisations:convention_detail", pk=convention.pk)
    context = {
        "form": form,
        "employer": convention.employer,
        "title": f"Modifier la convention — {convention.employer}",
    }
    return render(request, "organisations/convention_form.html", context)


@feature_required("organisations_read")
def convention_detail(request, pk: int):
    convention = visible_or_404(
        Convention.objects.select_related("employer").prefetch_related("amendments"),
        request.user,
        pk=pk,
    )
    today = timezone.localdate()
    context = {
        "convention": convention,
        "term_end": rules.current_term_end(convention, today),
        "renewal": rules.next_renewal_date(convention, today),
        "notice_deadline": rules.notice_deadline(convention, today),
        "can_manage": can_use(request.user, "organisations_manage"),
        "sign_form": ConventionSignForm(initial={"signed_on": today}),
        "scan_form": ConventionScanForm(),
        "amendments": sorted(convention.amendments.all(), key=lambda a: a.number),
        "rate_history": convention.rate_history(),
        "can_amend": convention.status in (ConventionStatus.SIGNED, ConventionStatus.ACTIVE),
        "terminate_form": ConventionTerminateForm(initial={"terminated_on": today}),
        "Status": ConventionStatus,
    }
    return render(request, "organisations/convention_detail.html", context)


def _run_transition(request, convention: Convention, action, success: str):
    done(request, action, success)
    return redirect("organisations:convention_detail", pk=convention.pk)


@require_POST
@feature_required("organisations_manage")
def convention_sign(request, pk: int):
    convention = _convention(request, pk)
    form = ConventionSignForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Signature non enregistrée : {errors}")
        return redirect("organisations:convention_detail", pk=convention.pk)
    return _run_transition(
        request,
        convention,
        lambda: services.convention_sign(
            actor=request.user,
            convention=convention,
            signed_on=form.cleaned_data["signed_on"],
            document=form.cleaned_data["document"],
        ),
        "Convention signée.",
    )


@require_POST
@feature_required("organisations_manage")
def convention_activate(request, pk: int):
    convention = _convention(request, pk)
    return _run_transition(
        request,
        convention,
        lambda: services.convention_activate(actor=request.user, convention=convention),
        "Convention en vigueur.",
    )


@require_POST
@feature_required("organisations_manage")
def convention_terminate(request, pk: int):
    convention = _convention(request, pk)
    form = ConventionTerminateForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Résiliation non enregistrée : {errors}")
        return redirect("organisations:convention_detail", pk=convention.pk)
    return _run_transition(
        request,
        convention,
        lambda: services.convention_terminate(
            actor=request.user,
            convention=convention,
            terminated_on=form.cleaned_data["terminated_on"],
        ),
        "Convention résiliée.",
    )


@feature_required("organisations_manage")
def convention_document(request, pk: int):
    convention = _convention(request, pk)
    if not convention.signed_document:
        raise Http404
    return FileResponse(
        convention.signed_document.open("rb"),
        as_attachment=True,
        filename=f"convention-{convention.pk}.pdf",
        content_type="application/pdf",
    )


GENERATED_FORMATS = {
    "pdf": (convention_documents.convention_pdf, "application/pdf"),
    "odt": (convention_documents.convention_odt, "application/vnd.oasis.opendocument.text"),
}


@feature_required("organisations_manage")
def convention_generate(request, pk: int, fmt: str):
    """« Générer la convention » : the text for signature, from the operator's model."""
    convention = _convention(request, pk)
    if fmt not in GENERATED_FORMATS:
        raise Http404
    make, content_type = GENERATED_FORMATS[fmt]
    response = HttpResponse(make(convention), content_type=content_type)
    name = convention.reference or str(convention.pk)
    response["Content-Disposition"] = f'attachment; filename="convention-{name}.{fmt}"'
    return response


@require_POST
@feature_required("organisations_manage")
def convention_scan(request, pk: int):
    """Deposit the signed scan of a convention already signed."""
    convention = _convention(request, pk)
    form = ConventionScanForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Convention signée non déposée : {errors}")
        return redirect("organisations:convention_detail", pk=convention.pk)
    return _run_transition(
        request,
        convention,
        lambda: services.convention_scan_attach(
            actor=request.user, convention=convention, document=form.cleaned_data["document"]
        ),
        "Convention signée déposée.",
    )


@feature_required("organisations_manage")
def amendment_create(request, pk: int):
    """A new amendment (avenant): new prices from a date, kept with the earlier ones."""
    convention = _convention(request, pk)
    form = ConventionAmendmentForm(
        request.POST or None, request.FILES or None, initial={"signed_on": timezone.localdate()}
    )
    if request.method == "POST" and (
        done := saved(
            request,
            form,
            lambda data: services.convention_amend(
                actor=request.user, convention=convention, **data
            ),
        )
    ):
        message = f"Avenant n° {done.result.number} enregistré."
        if withdrawn := done.result.withdrawn_drafts:
            message += (
                f" {withdrawn} brouillon(s) de facture calculé(s) aux anciens tarifs ont été "
                "retirés : relancez la facturation des trimestres concernés."
            )
        messages.success(request, message)
        return redirect("organisations:convention_detail", pk=convention.pk)
    context = {
        "form": form,
        "employer": convention.employer,
        "convention": convention,
        "title": f"Nouvel avenant — {convention}",
    }
    return render(request, "organisations/amendment_form.html", context)


@feature_required("organisations_manage")
def amendment_document(request, pk: int):
    amendment = visible_or_404(
        ConventionAmendment.objects.select_related("convention"), request.user, pk=pk
    )
    if not amendment.signed_document:
        raise Http404
    return FileResponse(
        amendment.signed_document.open("rb"),
        as_attachment=True,
        filename=f"avenant-{amendment.convention_id}-{amendment.number}.pdf",
        content_type="application/pdf",
    )
