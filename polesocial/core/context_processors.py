from django.urls import reverse

from polesocial.privacy.features import can_use

# (feature, French label, URL name): the main menu shows what the role may use.
MENU = [
    ("account", "Tableau de bord", "core:home"),
    ("triage", "File d'attente", "casework:queue"),
    ("casework", "Mes dossiers", "casework:case_list"),
    ("caseloads", "Dossiers de l'équipe", "casework:caseloads"),
    ("mobility", "Relais mobilité", "casework:mobility_list"),
    ("agenda", "Agenda", "appointments:agenda"),
    ("referral_send", "Adresser un agent", "casework:referral_create"),
    ("collective_read", "Travail collectif", "collective:action_list"),
    ("directory", "Annuaire", "directory:partner_list"),
    ("aid_catalogue", "Catalogue des aides", "aid:catalogue"),
    ("aid_sessions", "Commission d'aides", "aid:session_list"),
    ("aid_budgets", "Budgets d'aides", "aid:budget_list"),
    ("my_time", "Mon temps", "billing:my_time"),
    ("billing", "Facturation", "billing:invoice_list"),
    ("fte_plan_review", "Plan ETP : réalisé", "billing:fte_dashboard"),
    ("my_invoices", "Factures", "billing:my_invoices"),
    ("reports", "Bilans annuels", "reports:index"),
    ("my_employer", "Mon employeur", "organisations:my_employer"),
    ("organisations_read", "Employeurs", "organisations:employer_list"),
    ("teams_manage", "Équipes", "organisations:team_list"),
    ("organisation_admin", "Organisation", "organisations:team_admin_list"),
    ("user_admin", "Utilisateurs", "users:list"),
    ("audit_journal", "Journal d'audit", "privacy:audit_list"),
    ("subject_access", "Droit d'accès", "casework:subject_access"),
    ("archivists", "Habilitations à l'archive", "privacy:archivist_list"),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    items = []
    for feature, label, url_name in MENU:
        if can_use(user, feature):
            url = reverse(url_name)
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "current": current})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"menu": items, "unread_notifications": unread}


def csp_nonce(request) -> dict:
    """Evaluate the CSP nonce up front.

    django-csp's lazy nonce reads as false until evaluated, and django-dsfr's script tag
    tests it with `{% if %}` before printing it: without this, the scripts would carry no
    nonce and the browser would block them.
    """
    nonce = getattr(request, "csp_nonce", None)
    return {"csp_nonce": str(nonce) if nonce is not None else ""}
