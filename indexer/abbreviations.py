"""Vietnamese administrative and health abbreviations (BHYT, TTYT, XN …) and their long forms."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "abbreviations.tsv"


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()[1:]
    pairs = (line.split("\t") for line in lines if line.strip())
    return {short: long for short, long in pairs}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    keys = sorted(abbreviations(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


def expansions(text: str) -> list[str]:
    """Long forms of the abbreviations written in `text`, once each, in order of appearance."""
    table = abbreviations()
    return list(dict.fromkeys(table[m.group(1)] for m in _pattern().finditer(text)))
