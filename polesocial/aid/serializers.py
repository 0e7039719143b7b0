from rest_framework import serializers

from polesocial.aid.models import AidBudget, AidScheme, CommitteeSession


class AidSchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AidScheme
        fields = [
            "id", "name", "funder", "kind", "conditions", "ceiling", "reference",
            "valid_from", "valid_until", "employer",
        ]  # fmt: skip


class AgendaDecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField(help_text="Libellé de la décision.")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    motive = serializers.CharField()


class AgendaFileSerializer(serializers.Serializer):
    """A pseudonymised file of the agenda: never a name, a birth date or a case."""

    number = serializers.CharField(help_text="Numéro de commission, par exemple 2026-014.")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    scheme = serializers.CharField()
    funder = serializers.CharField()
    household = serializers.CharField()
    summary = serializers.CharField()
    urgent = serializers.BooleanField()
    employer = serializers.CharField(help_text="Masqué pour un employeur de moins de 11 agents.")
    decision = AgendaDecisionSerializer(allow_null=True)


class CommitteeSessionSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.name")
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeSession
        fields = ["id", "committee", "held_on", "quorum", "closed_on", "agenda"]

    def get_agenda(self, session) -> list[dict]:
        from polesocial.aid.agenda import agenda_rows

        rows = agenda_rows(session, self.context["request"].user)
        return AgendaFileSerializer([{k: v for k, v in r.items() if k != "pk"} for r in rows],
                                    many=True).data  # fmt: skip


class SessionSummarySerializer(CommitteeSessionSerializer):
    class Meta(CommitteeSessionSerializer.Meta):
        fields = ["id", "committee", "held_on", "quorum", "closed_on"]


class AidBudgetSerializer(serializers.ModelSerializer):
    committed = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()

    class Meta:
        model = AidBudget
        fields = ["id", "funder", "year", "employer", "allocated", "committed", "paid"]

    def _figures(self, budget):
        return self.context["figures"][budget.pk]

    def get_committed(self, budget) -> str:
        return str(self._figures(budget).committed)

    def get_paid(self, budget) -> str:
        return str(self._figures(budget).paid)
