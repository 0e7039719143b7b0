from django.conf import settings
from rest_framework import serializers

from polesocial.api.models import ApiToken
from polesocial.api.services import MAX_DAYS


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    role = serializers.CharField()


class ApiErrorSerializer(serializers.Serializer):
    """The body of every API error (validation errors add `errors`, by field)."""

    detail = serializers.CharField(help_text="Message d'erreur, en français.")
    errors = serializers.DictField(required=False, help_text="Erreurs par champ (400).")


# Ids are 64-bit integers (BigAutoField): a larger number names nothing, and SQLite cannot
# even compare it (OverflowError, a server error). Every id a client sends is bounded so.
ID_MAX = 2**63 - 1
# Years a filter or a body may name.
YEAR_MIN, YEAR_MAX = 1900, 2100


# The error answers an endpoint declares in the schema: `responses={200: …, **ERRORS}`.
ERRORS = {401: ApiErrorSerializer, 403: ApiErrorSerializer}
NOT_FOUND = {404: ApiErrorSerializer}
INVALID = {400: ApiErrorSerializer}


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the secret, only its first characters."""

    scopes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Points d'accès ouverts à un jeton d'intégration (vide : jeton personnel).",
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "kind",
            "scopes",
            "key_prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label="Nom")
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        label="Durée de validité (jours)",
        help_text=f"Par défaut {settings.API_TOKEN_DEFAULT_DAYS} jours.",
    )
    otp_code = serializers.RegexField(
        r"^\s*\d{6}\s*$",
        write_only=True,
        label="Code à usage unique",
        help_text="Le code actuel de votre application d'authentification (6 chiffres).",
        error_messages={"invalid": "Saisissez les 6 chiffres du code."},
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="Le jeton lui-même : affiché cette seule fois, à conserver."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
