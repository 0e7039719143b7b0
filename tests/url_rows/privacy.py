"""Rows for the audit journal (privacy/urls) and the subject-access search: the DPO only."""

from tests.url_rows import R, only

ROWS = {
    "privacy:audit_list": ("GET", None, only(R.DPO)),
    "casework:subject_access": ("GET", None, only(R.DPO)),
}

BUILDERS: dict = {}
