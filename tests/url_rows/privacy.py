"""Rows for the audit journal (privacy/urls): the DPO only."""

from tests.url_rows import R, only

ROWS = {
    "privacy:audit_list": ("GET", None, only(R.DPO)),
}

BUILDERS: dict = {}
