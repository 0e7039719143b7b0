from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from polesocial.aid import api as aid
from polesocial.api import views
from polesocial.appointments import api as appointments
from polesocial.billing import api as billing
from polesocial.casework import api as casework
from polesocial.collective import api as collective
from polesocial.organisations import api as organisations

app_name = "api"

# SimpleRouter, not DefaultRouter: its root view would not inherit api.base.
router = SimpleRouter(use_regex_path=False)
# --- Organisations ---
router.register("employers", organisations.EmployerViewSet, basename="employer")
router.register("headcounts", organisations.HeadcountViewSet, basename="headcount")
router.register("conventions", organisations.ConventionViewSet, basename="convention")
router.register("teams", organisations.TeamViewSet, basename="team")
router.register("fte-shares", organisations.FteShareViewSet, basename="fte-share")
# --- Case work ---
router.register("referrals", casework.ReferralViewSet, basename="referral")
router.register("employees", casework.EmployeeViewSet, basename="employee")
router.register("cases", casework.CaseViewSet, basename="case")
router.register("interviews", casework.InterviewViewSet, basename="interview")
router.register("plan-objectives", casework.PlanObjectiveViewSet, basename="plan-objective")
router.register("plan-actions", casework.PlanActionViewSet, basename="plan-action")
router.register("orientations", casework.OrientationViewSet, basename="orientation")
# --- Collective work ---
router.register(
    "collective-actions", collective.CollectiveActionViewSet, basename="collective-action"
)
router.register("body-meetings", collective.BodyMeetingViewSet, basename="body-meeting")
router.register("alerts", collective.AlertViewSet, basename="alert")
# --- Billing ---
router.register("invoices", billing.InvoiceViewSet, basename="invoice")
router.register("time-entries", billing.TimeEntryViewSet, basename="time-entry")
# --- Appointments ---
router.register("appointments", appointments.AppointmentViewSet, basename="appointment")

# --- Material aid ---
router.register("aid-schemes", aid.AidSchemeViewSet, basename="aid-scheme")
router.register("aid-budgets", aid.AidBudgetViewSet, basename="aid-budget")
router.register("aid-sessions", aid.CommitteeSessionViewSet, basename="aid-session")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("me/", views.MeView.as_view(), name="me"),
    path(
        "tokens/",
        views.ApiTokenViewSet.as_view({"get": "list", "post": "create"}),
        name="token-list",
    ),
    path(
        "tokens/<int:pk>/",
        views.ApiTokenViewSet.as_view({"delete": "destroy"}),
        name="token-detail",
    ),
    # The mobility hand-offs: listed, handed over, ended, followed up (read one by one on
    # the screens).
    path(
        "handoffs/",
        casework.HandoffViewSet.as_view({"get": "list", "post": "create"}),
        name="handoff-list",
    ),
    path(
        "handoffs/<int:pk>/end/",
        casework.HandoffViewSet.as_view({"post": "end"}),
        name="handoff-end",
    ),
    path(
        "handoffs/<int:pk>/follow-ups/",
        casework.HandoffViewSet.as_view({"post": "follow_up"}),
        name="handoff-follow-up",
    ),
    *router.urls,
    # Last: the French JSON 404 of the API for every other path ending in "/" (a path
    # without one is first redirected to it by CommonMiddleware, as before).
    re_path(r"^(?:.*/)?$", views.NotFoundView.as_view(), name="not-found"),
]
