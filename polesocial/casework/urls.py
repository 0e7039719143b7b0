from polesocial.casework import urls_cases, urls_referrals

app_name = "casework"

# Referrals, queue and dashboards in one module, the case page in another.
urlpatterns = urls_referrals.urlpatterns + urls_cases.urlpatterns
