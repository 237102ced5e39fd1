"""Figures the documents state, found at index time: each number with what it measures, for when,
for whom, and exactly where it is written.

Owns reading Vietnamese numbers ("48.215", "23,6", "112.3%"), units, comparators, ranges and
fractions, and giving every figure a label in the document's own words, a kind (target / result /
baseline) and a year, from a table's column header, the sentence, the section path or the
caller's defaults. Dates, years, document codes, list numbers and thresholds that belong to a
label ("dưới 5 tuổi") are not figures.

One module per concern: `numbers` (a number, its unit and comparator), `non_figures` (numbers
that are not figures), `tables` (header columns and rows), `prose` (clauses of running text),
`labels` (a figure's words), `context` (kind, year and scope), `extract` (the walk over a
document).
"""

from __future__ import annotations

from indexer.figures.extract import extract_figures
from indexer.figures.numbers import UNITS_FILE, canonical_unit, parse_number, unit_vocabulary
from indexer.figures.tables import Column, ColumnRole, parse_columns

__all__ = [
    "UNITS_FILE",
    "Column",
    "ColumnRole",
    "canonical_unit",
    "extract_figures",
    "parse_columns",
    "parse_number",
    "unit_vocabulary",
]
