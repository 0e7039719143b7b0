from django.urls import path

from polesocial.casework.views import caseloads, referrals, self_referral

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
    path("saisines/<int:pk>/abusive/", self_referral.referral_mark_spam, name="referral_mark_spam"),
    # The public page: no account needed (the employee himself).
    path("contacter-le-service-social/", self_referral.self_referral, name="self_referral"),
    path(
        "contacter-le-service-social/envoyee/",
        self_referral.self_referral_sent,
        name="self_referral_sent",
    ),
    path("equipe/dossiers/", caseloads.caseloads, name="caseloads"),
    path("equipe/dossiers/transfert/", caseloads.caseload_transfer, name="caseload_transfer"),
]
