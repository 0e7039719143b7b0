"""The numbers of referrals (S-2026-00001) and cases (D-2026-00001), one sequence a year.

Taken from the shared gapless sequences (`polesocial.core.numbering`), inside the
transaction that saves the referral or the case.
"""

from polesocial.core.numbering import next_number


def referral_number(year: int) -> str:
    return f"S-{year}-{next_number(sequence='referral', year=year):05d}"


def case_number(year: int) -> str:
    return f"D-{year}-{next_number(sequence='case', year=year):05d}"
