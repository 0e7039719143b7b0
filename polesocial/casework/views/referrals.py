from django.http import Http404

from polesocial.privacy.features import feature_required


@feature_required("casework")
def queue(request):
    raise Http404


@feature_required("casework")
def referral_detail(request, pk: int):
    raise Http404
