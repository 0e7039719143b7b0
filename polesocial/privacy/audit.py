"""Writing to the audit journal. (Provisional: the chained journal replaces this.)"""

from polesocial.privacy.models import AuditEntry


def audit_log(*, actor, action: str, target=None, targets=None, replacement: bool = False):
    return AuditEntry.append(
        actor=actor, action=action, target=target, targets=targets, replacement=replacement
    )
