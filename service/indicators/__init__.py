"""Indicators as first-class objects: figure records that measure the same thing grouped across
documents, places and years, tabled by place and year, checked plan against actual, charted and
exported."""
