from django.urls import path

from polesocial.billing.views import invoices, time

app_name = "billing"

urlpatterns = [
    path("facturation/", invoices.invoice_list, name="invoice_list"),
    path("facturation/preparer/", invoices.invoice_run, name="invoice_run"),
    path("facturation/facture-finale/", invoices.invoice_run_final, name="invoice_run_final"),
    path(
        "facturation/preparations/<uuid:pk>/",
        invoices.invoice_run_status,
        name="invoice_run_status",
    ),
    path("facturation/export.csv", invoices.invoice_csv, name="invoice_csv"),
    path(
        "facturation/titres-de-recettes.csv",
        invoices.revenue_titles_csv,
        name="revenue_titles_csv",
    ),
    path("facturation/emettre/", invoices.invoice_issue_all, name="invoice_issue_all"),
    path("factures/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("factures/<int:pk>/emettre/", invoices.invoice_issue, name="invoice_issue"),
    path("factures/<int:pk>/avoir/", invoices.invoice_cancel, name="invoice_cancel"),
    path("factures/<int:pk>/paiement/", invoices.invoice_pay, name="invoice_pay"),
    path("factures/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("factures/<int:pk>/factur-x/", invoices.invoice_facturx, name="invoice_facturx"),
    path("mes-factures/", invoices.my_invoices, name="my_invoices"),
    path("mon-temps/", time.my_time, name="my_time"),
    path("mon-temps/<int:pk>/supprimer/", time.time_delete, name="time_delete"),
    path("plan-etp/realise/", time.fte_dashboard, name="fte_dashboard"),
    path("plan-etp/<int:pk>/valider/", time.fte_plan_validate, name="fte_plan_validate"),
]
