"""Write the load drill's figures into the README, between two markers (`--readme`)."""

from __future__ import annotations

import datetime as dt
import os

from stress.app import ROOT
from stress.report import french_number

START = "<!-- stress:figures -->"
END = "<!-- /stress:figures -->"


def write_figures(options, figures) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    cores = os.cpu_count() or 1
    block = (
        f"{START}\n"
        f"Dernière mesure ({dt.date.today():%d/%m/%Y}, {options.users} ASS simulées pendant "
        f"{options.load_seconds} s, {cores} cœurs partagés) : "
        f"{french_number(figures.requests)} requêtes, {figures.failures} erreur, "
        f"médiane (p50) **{french_number(figures.p50)} ms**, "
        f"95e centile (p95) **{french_number(figures.p95)} ms**, "
        f"{french_number(figures.per_second, 1)} requêtes/s ; étape du mot de passe : p50 "
        f"{french_number(figures.sign_in_p50)} ms, p95 {french_number(figures.sign_in_p95)} ms "
        f"(charge de la machine : {french_number(figures.load_average, 1)}).\n"
        f"{END}"
    )
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    readme.write_text(before + block + after, encoding="utf-8")
