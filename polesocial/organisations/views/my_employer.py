from django.shortcuts import render
from django.utils import timezone

from polesocial.organisations import rules
from polesocial.organisations.models import Convention, Employer
from polesocial.privacy.features import feature_required


@feature_required("my_employer")
def my_employer(request):
    """An HR contact's page: his employer(s), conventions and headcounts. No case data."""
    today = timezone.localdate()
    employers = Employer.objects.visible_by(request.user).prefetch_related("headcounts")
    conventions = Convention.objects.visible_by(request.user).select_related("employer")
    rows = [{"convention": c, "term_end": rules.current_term_end(c, today)} for c in conventions]
    return render(
        request,
        "organisations/my_employer.html",
        {"employers": employers, "conventions": rows},
    )
