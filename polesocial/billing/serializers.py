from rest_framework import serializers

from polesocial.billing.enums import InvoiceKind, InvoiceStatus, LineKind, TimeKind
from polesocial.billing.models import Invoice, InvoiceLine, TimeEntry


def _codes(choices) -> str:
    return " ; ".join(f"{value} : {label}" for value, label in choices.choices)


# Codes as plain strings described in help texts: "kind" and "status" are names that other
# areas' enumerations use too, and the schema must not rename them unpredictably.


class InvoiceLineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_codes(LineKind))
    time_kind = serializers.CharField(
        read_only=True,
        help_text=_codes(TimeKind) + " ; mobility : Accompagnement mobilité (conseillère mobilité)",
    )

    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "kind",
            "time_kind",
            "label",
            "minutes",
            "quantity",
            "unit",
            "unit_price",
            "amount",
        ]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_codes(InvoiceKind))
    status = serializers.CharField(read_only=True, help_text=_codes(InvoiceStatus))
    lines = InvoiceLineSerializer(many=True, read_only=True)
    cancels = serializers.CharField(
        source="cancels.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "employer",
            "employer_name",
            "period_start",
            "period_end",
            "period_label",
            "total",
            "issued_on",
            "due_on",
            "paid_on",
            "cancels",
            "reason",
            "lines",
        ]
        read_only_fields = fields


class TimeEntrySerializer(serializers.ModelSerializer):
    locked = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text=_codes(TimeKind))
    source = serializers.CharField(read_only=True, help_text="manual, interview, ...")

    def get_locked(self, entry) -> bool:
        # A list reads it from TimeEntryQuerySet.with_locked: one query, not one per entry.
        locked = getattr(entry, "on_issued_invoice", None)
        return entry.is_locked if locked is None else locked

    def validate_kind(self, value: str) -> str:
        if value not in TimeKind.values:
            raise serializers.ValidationError("Nature de temps inconnue.")
        return value

    class Meta:
        model = TimeEntry
        fields = ["id", "worker", "employer", "date", "minutes", "kind", "source", "locked"]
        read_only_fields = ["id", "worker", "source", "locked"]


class InvoiceRunSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Année, par exemple 2026.")
    quarter = serializers.IntegerField(help_text="Trimestre, de 1 à 4.")


class InvoiceRunAnswerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
