from django.db import models


class ApiTokenKind(models.TextChoices):
    """Personal tokens act with their owner's full rights; integration tokens are scoped."""

    PERSONAL = "personal", "Personnel"
    INTEGRATION = "integration", "Intégration"


# Endpoint scopes an integration token may be granted, with the French label shown to
# people. A view opens itself to integration tokens with `integration_scope = "<scope>"`;
# each issue that adds such an endpoint adds its scope here (a test checks the pairing).
INTEGRATION_SCOPES: dict[str, str] = {
    "headcounts.create": "Import des effectifs",
    "referrals.create": "Dépôt de saisines",
}
