from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "polesocial.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from django.core.signals import request_finished, request_started

        from polesocial.organisations.interims import reads_in_interim
        from polesocial.organisations.labels import request_begins, request_ends
        from polesocial.privacy.audit import register_replacement_rule

        # The operator's labels are read once per request.
        request_started.connect(request_begins, dispatch_uid="organisations.labels.begins")
        request_finished.connect(request_ends, dispatch_uid="organisations.labels.ends")

        # A read made in a counsellor's interim is journaled as a replacement access.
        register_replacement_rule(reads_in_interim)
