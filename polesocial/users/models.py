from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.models import Device

from polesocial.privacy.access import ScopedQuerySet
from polesocial.users.enums import Role


class UserQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Employees (agents) are never users."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("créé le", default=timezone.now)
    # ProConnect: the administrator allows it per account; the provider's stable subject
    # identifier is bound at the first ProConnect sign-in (matched by e-mail that once only).
    proconnect_enabled = models.BooleanField("connexion par ProConnect autorisée", default=False)
    proconnect_sub = models.CharField(
        "identifiant ProConnect", max_length=255, unique=True, null=True, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="user_role_known", condition=models.Q(role__in=Role.values)
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_staff(self) -> bool:
        # No Django admin site: administration happens in our own screens.
        return False


class UserSession(models.Model):
    """Which session keys belong to whom, so that deactivation can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session de {self.user_id}"


class LoginAttempt(models.Model):
    """One sign-in attempt (password or second factor), for throttling and lockout."""

    username = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"


class ProConnectDevice(Device):
    """The second factor asserted by ProConnect at an authentication level (`acr`) the
    operator accepts: the session records that its second factor came from the provider.

    It verifies no code of its own: only the ProConnect sign-in attaches it to a session."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name="compte"
    )

    class Meta:
        verbose_name = "second facteur ProConnect"

    def verify_token(self, token) -> bool:
        return False
