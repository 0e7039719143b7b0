from django.urls import path

from polesocial.casework.views import caseloads, referrals

urlpatterns = [
    path("saisines/nouvelle/", referrals.referral_create, name="referral_create"),
    path("saisines/envoyees/", referrals.referral_sent, name="referral_sent"),
    path("saisines/file/", referrals.queue, name="queue"),
    path("saisines/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("saisines/<int:pk>/prendre/", referrals.referral_take, name="referral_take"),
    path("saisines/<int:pk>/attribuer/", referrals.referral_assign, name="referral_assign"),
    path("saisines/<int:pk>/evaluation/", referrals.referral_assess, name="referral_assess"),
    path("saisines/<int:pk>/adhesion/", referrals.referral_consent, name="referral_consent"),
    path("saisines/<int:pk>/ouverture/", referrals.referral_case_open, name="referral_case_open"),
    path("equipe/dossiers/", caseloads.caseloads, name="caseloads"),
    path("equipe/dossiers/transfert/", caseloads.caseload_transfer, name="caseload_transfer"),
]
