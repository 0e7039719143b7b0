from django.core.paginator import Paginator
from django.shortcuts import render

from polesocial.privacy.enums import AuditAction
from polesocial.privacy.features import feature_required
from polesocial.privacy.models import AuditEntry


@feature_required("audit_journal")
def audit_list(request):
    """The DPO's journal search: by actor e-mail, action and object type (actions in words)."""
    entries = AuditEntry.objects.visible_by(request.user).select_related("actor")
    filters = {
        "actor__email__icontains": request.GET.get("acteur", "").strip(),
        "action__startswith": request.GET.get("action", "").strip(),
        "object_type": request.GET.get("objet", "").strip(),
    }
    entries = entries.filter(**{k: v for k, v in filters.items() if v}).order_by("-pk")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": request.GET, "actions": AuditAction.choices}
    return render(request, "privacy/audit_list.html", context)
