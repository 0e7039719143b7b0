from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "polesocial.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from polesocial.organisations.interims import reads_in_interim
        from polesocial.privacy.audit import register_replacement_rule

        # A read made in a counsellor's interim is journaled as a replacement access.
        register_replacement_rule(reads_in_interim)
