"""`radio voices --all`: every espeak-ng voice variant, a few per line."""
from __future__ import annotations

from ..i18n import _

PER_LINE = 8


def variant_lines(names: list[str]) -> list[str]:
    """A heading, then the variant names in rows of PER_LINE, sorted naturally (f2 < f10)."""
    import re

    def key(name: str):
        return [int(part) if part.isdigit() else part.lower()
                for part in re.split(r"(\d+)", name)]

    ordered = sorted(names, key=key)
    lines = [_("  variants (speaker setting `variant`, with any voice), all {n}:", n=len(ordered))]
    for start in range(0, len(ordered), PER_LINE):
        lines.append("    " + "  ".join(f"{v:<13}" for v in ordered[start:start + PER_LINE])
                     .rstrip())
    return lines
