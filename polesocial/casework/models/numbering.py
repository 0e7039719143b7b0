from django.db import models, transaction


class NumberSequence(models.Model):
    """Gapless yearly numbers for referrals and cases (S-2026-00001, D-2026-00001)."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"

    @classmethod
    def next(cls, prefix: str, year: int) -> str:
        """The next number, under a row lock held until the caller's transaction ends."""
        with transaction.atomic():
            cls.objects.get_or_create(prefix=prefix, year=year)
            sequence = cls.objects.select_for_update().get(prefix=prefix, year=year)
            sequence.last += 1
            sequence.save(update_fields=["last"])
        return f"{prefix}-{year}-{sequence.last:05d}"
