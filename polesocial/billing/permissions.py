"""Who may act on an invoice she can already read (the rows come from `visible_by`).

`Invoice.objects.visible_by(user)` decides whether a user reads an invoice at all; these
small functions answer what its page offers. Templates receive their answers, never decide.
"""

from __future__ import annotations

from polesocial.privacy.features import can_use


def can_manage_invoices(user) -> bool:
    """Only the billing officer issues an invoice, records its payment or cancels it by a
    credit note; an HR contact reads his employers' issued invoices and their files."""
    return can_use(user, "billing")
