"""Rows for the directory of partners (directory/urls).

Partners are organisations, not people: every role of the directory feature (social
workers, counsellors, the secretariat) reads and edits every partner; other roles are
refused the screens outright.
"""

from tests.url_rows import R, only

DIRECTORY = (R.SOCIAL_WORKER, R.COUNSELLOR, R.SECRETARY)

ROWS = {
    "directory:partner_list": ("GET", None, only(*DIRECTORY)),
    "directory:partner_create": ("GET", None, only(*DIRECTORY)),
    "directory:partner_update": ("GET", "partner", only(*DIRECTORY)),
}


def _partner(user):
    from tests.factories import PartnerFactory

    return {"pk": PartnerFactory().pk}


BUILDERS = {"partner": _partner}
