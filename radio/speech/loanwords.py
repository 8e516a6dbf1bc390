"""Loanwords and brand names read the Vietnamese way: "Facebook" → "Phây-búc".

The words are the package data ``data/loanwords.tsv`` (written form, a TAB, the
spoken form).  They match whole words whatever their case ("Covid", "COVID",
"covid"); the spoken form takes a capital when the written word starts with
one ("Internet" → "In-tơ-nét", "internet" → "in-tơ-nét").

A production's ``pronunciations.tsv`` overrides them, so producers keep one
file: its lines are applied first, exactly as written, and a line whose
written form is a loanword in another case ("Facebook" for "facebook") also
replaces the built-in reading of that word in every case.
"""
from __future__ import annotations

import re
from pathlib import Path

LOANWORDS_PATH = Path(__file__).parent / "data" / "loanwords.tsv"


def index(loanwords, pronunciations) -> dict[str, str]:
    """Lower-cased written form → spoken form, the producer's reading first."""
    found = {written.casefold(): spoken for written, spoken in loanwords}
    for written, spoken in pronunciations:
        if written.casefold() in found:
            found[written.casefold()] = spoken
    return found


def pattern(written_forms) -> re.Pattern | None:
    """Whole words, longest first, any case ("Covid-19" before "Covid")."""
    keys = sorted(written_forms, key=len, reverse=True)
    if not keys:
        return None
    groups: dict[str, list[str]] = {}  # by first letter: tried only where one can start
    for key in keys:
        groups.setdefault(key[0].casefold(), []).append(re.escape(key[1:]))
    alternation = "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})"
                           for first, rests in groups.items())
    return re.compile(rf"(?<![\w-])(?:{alternation})(?!\w|-\w)", re.IGNORECASE)


def spoken_form(written: str, table: dict[str, str]) -> str | None:
    spoken = table.get(written.casefold())
    if spoken and written[:1].isupper() and spoken[:1].islower():
        spoken = spoken[:1].upper() + spoken[1:]
    return spoken
