from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache

from polesocial.users import proconnect, views
from polesocial.users.forms import DsfrPasswordResetForm, DsfrSetPasswordForm

app_name = "users"

urlpatterns = [
    path("connexion/", views.sign_in, name="login"),
    path("connexion/code/", views.totp_verify, name="totp_verify"),
    path("connexion/activation/", views.totp_enrol, name="totp_enrol"),
    path("deconnexion/", views.sign_out, name="logout"),
    path(
        "connexion/proconnect/",
        login_not_required(never_cache(proconnect.ProConnectStartView.as_view())),
        name="proconnect_start",
    ),
    path(
        "connexion/proconnect/retour/",
        login_not_required(never_cache(proconnect.ProConnectCallbackView.as_view())),
        name="proconnect_callback",
    ),
    path(
        "mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            template_name="users/password_reset.html",
            form_class=DsfrPasswordResetForm,
            email_template_name="users/emails/password_reset.txt",
            subject_template_name="users/emails/password_reset_subject.txt",
            success_url=reverse_lazy("users:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="users/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="users/password_reset_confirm.html",
            form_class=DsfrSetPasswordForm,
            success_url=reverse_lazy("users:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="users/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("mon-compte/", views.account, name="account"),
    path("mon-compte/mot-de-passe/", views.account_password, name="account_password"),
    path("mon-compte/sessions/fermer/", views.account_sessions_end, name="account_sessions_end"),
    path("administration/utilisateurs/", views.user_list, name="list"),
    path("administration/utilisateurs/nouveau/", views.user_create, name="create"),
    path("administration/utilisateurs/<int:pk>/", views.user_detail, name="detail"),
    path("administration/utilisateurs/<int:pk>/modifier/", views.user_update, name="update"),
    path(
        "administration/utilisateurs/<int:pk>/desactiver/",
        views.user_deactivate,
        name="deactivate",
    ),
    path(
        "administration/utilisateurs/<int:pk>/reactiver/",
        views.user_reactivate,
        name="reactivate",
    ),
    path(
        "administration/utilisateurs/<int:pk>/reinitialiser-2fa/",
        views.user_reset_totp,
        name="reset_totp",
    ),
]
