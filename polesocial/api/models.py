import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from polesocial.api.enums import ApiTokenKind

KEY_PREFIX_LENGTH = 8


def default_expiry():
    return timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


def hash_key(key: str) -> str:
    """SHA-256 of a token's secret: enough for 256 random bits, and indexable for lookup."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that still authenticate: not revoked, not expired, owner still active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )

    def owned_by(self, user):
        """A person's own tokens (tokens are never shown to anyone else)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token for the API; only the hash of its secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="utilisateur",
    )
    name = models.CharField("nom", max_length=100)
    kind = models.CharField("type", max_length=16, choices=ApiTokenKind.choices)
    scopes = models.JSONField("périmètres", default=list, blank=True)
    key_prefix = models.CharField("début du jeton", max_length=KEY_PREFIX_LENGTH)
    key_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le", default=default_expiry)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="api_token_kind_known", condition=models.Q(kind__in=ApiTokenKind.values)
            ),
            # A personal token carries its owner's rights: scopes would suggest otherwise.
            models.CheckConstraint(
                name="api_token_personal_has_no_scopes",
                condition=models.Q(kind=ApiTokenKind.INTEGRATION) | models.Q(scopes=[]),
            ),
            models.CheckConstraint(
                name="api_token_expires_after_creation",
                condition=models.Q(expires_at__gt=models.F("created_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        """Neither revoked nor expired (its owner's deactivation revokes it as well)."""
        return self.revoked_at is None and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return "Révoqué"
        return "Expiré" if self.is_expired else "Actif"


class IdempotencyKey(models.Model):
    """The outcome of an API write sent with an `Idempotency-Key` header, for 24 hours.

    Only hashes and identifiers: the key's hash (scoped to the user), the request's hash
    (method, path, body), the answer's status and the written row's type and id. Never the
    response body, which names people: a retry re-reads the row and serialises it again.
    See `api.idempotency`.
    """

    key_hash = models.CharField("empreinte de la clé", max_length=64, unique=True)
    request_hash = models.CharField("empreinte de la requête", max_length=64)
    # None only inside the first request's transaction (never committed so).
    status = models.PositiveSmallIntegerField("statut de la réponse", null=True, blank=True)
    object_type = models.CharField("type de l'objet", max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField("identifiant de l'objet", null=True, blank=True)
    serializer = models.CharField("présentation", max_length=200, blank=True)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "clé d'idempotence"
        verbose_name_plural = "clés d'idempotence"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key_hash[:8]}… ({self.status})"
