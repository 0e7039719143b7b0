from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "polesocial.casework"
    label = "casework"
    verbose_name = "Accompagnement individuel"

    def ready(self):
        from polesocial.casework.permissions import reads_as_replacement
        from polesocial.privacy.audit import register_replacement_rule

        # The journal marks an access by a replacement without being told (ARCHITECTURE §2).
        register_replacement_rule(reads_as_replacement)
