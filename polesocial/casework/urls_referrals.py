from django.urls import path

from polesocial.casework.views import referrals

urlpatterns = [
    path("saisines/file/", referrals.queue, name="queue"),
    path("saisines/<int:pk>/", referrals.referral_detail, name="referral_detail"),
]
