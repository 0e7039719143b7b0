from django.db import models

from polesocial.privacy.fields import EncryptedTextField


class SecretNote(models.Model):
    """A note whose body is encrypted, as the real confidential notes will be."""

    title = models.CharField("titre", max_length=200)
    body = EncryptedTextField("contenu", null=True, blank=True)

    class Meta:
        verbose_name = "note secrète"

    def __str__(self):
        # Never the body: __str__ ends up in logs, admin and error pages.
        return self.title
