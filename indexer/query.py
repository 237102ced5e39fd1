"""Understanding a question before retrieval: language, restored diacritics, glossary expansion,
and the former units a province of today stands for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from indexer.abbreviations import expansions as abbreviation_expansions
from indexer.glossary import Glossary, english_stopwords, is_english
from indexer.store.base import LexicalQuery
from indexer.tokens import fold, has_diacritics, is_stopword, syllables, words

Language = Literal["vi", "en"]
MAX_NAME_SYLLABLES = 4
PUNCTUATION = ".,;:?!()'\"“”"


@dataclass(frozen=True)
class AnalyzedQuery:
    text: str  # NFC, as asked
    language: Language
    restored: str  # names given back their diacritics ("Thanh Phu" → "Thạnh Phú")
    # Vietnamese glossary terms for an English question, and the former units a province of
    # today that the question names absorbed ("Tây Ninh" also searches "Long An")
    expansions: tuple[str, ...]
    lexical: LexicalQuery

    @property
    def dense_text(self) -> str:
        """What is embedded: the question, and for English its Vietnamese terms too."""
        if self.expansions:
            return f"{self.restored} ({'; '.join(self.expansions)})"
        return self.restored


def restore_names(text: str, name_forms: dict[str, str]) -> str:
    """Give unaccented runs of syllables the accents of a corpus name they spell."""
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(MAX_NAME_SYLLABLES, len(tokens) - i), 1, -1):
            window = tokens[i : i + n]
            core = [t.strip(PUNCTUATION) for t in window]
            if any(not c or has_diacritics(c) for c in core):
                continue
            possessive = core[-1][-2:] if core[-1].endswith(("'s", "’s")) else ""
            key = fold(" ".join(core))[: len(" ".join(core)) - len(possessive)]
            form = name_forms.get(key)
            if form:
                leading = window[0][: len(window[0]) - len(window[0].lstrip(PUNCTUATION))]
                trailing = possessive + window[-1][len(window[-1].rstrip(PUNCTUATION)) :]
                out.append(leading + form + trailing)
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def analyze(
    question: str,
    glossary: Glossary,
    name_forms: dict[str, str],
    *,
    expand: bool = True,
    folding: bool = True,
    former_units: tuple[str, ...] = (),
    facet_places: tuple[str, ...] = (),
) -> AnalyzedQuery:
    """`expand` and `folding` switch glossary expansion and the accent-folded field off for
    ablation studies. `former_units`: the units the places the question names absorbed, searched
    as well (a document speaks of the unit of its day). `facet_places`: corpus places the question
    names, which the retriever applies as facets (its lexical list ranks only their documents, and
    national ones; its scope rescoring prefers them) and which are therefore cut from the lexical
    words: left in, a place's name outweighs the indicator asked about wherever the corpus holds
    many documents per place, and every letterhead of that place outranks the answer."""
    text = unicodedata.normalize("NFC", question).strip()
    language: Language = "en" if is_english(text) else "vi"
    restored = restore_names(text, name_forms) if folding else text
    glossary_terms = glossary.expand(restored) if language == "en" and expand else ()
    expansions = (*glossary_terms, *former_units)
    # English words never occur in the documents; names, codes, acronyms and numbers do.
    searchable = names_and_codes(restored) if language == "en" else restored
    facets = {fold(place) for place in facet_places}
    unnamed_units = [unit for unit in former_units if fold(unit) not in facets]
    topic = without_names(searchable, facet_places)
    if any(not is_stopword(s) for s in syllables(topic)):
        searchable = topic
    return AnalyzedQuery(
        text=text,
        language=language,
        restored=restored,
        expansions=tuple(expansions),
        lexical=lexical_query(
            searchable,
            (*glossary_terms, *unnamed_units, *abbreviation_expansions(restored)),
            folding=folding,
        ),
    )


def without_names(text: str, names: tuple[str, ...]) -> str:
    """The text with every mention of the names cut out, whether written with or without accents
    ("Long An", "long an"), and its administrative word before it ("tỉnh", "thành phố")."""
    folded = fold(text)
    if not names or len(folded) != len(text):
        return text
    keys = "|".join(re.escape(fold(name)) for name in sorted(names, key=len, reverse=True))
    mention = re.compile(rf"(?:\b(?:tinh|thanh pho|huyen|quan|thi xa)\s+)?(?<!\w)(?:{keys})(?!\w)")
    kept, last = [], 0
    for match in mention.finditer(folded):
        kept.append(text[last : match.start()])
        last = match.end()
    kept.append(text[last:])
    return " ".join("".join(kept).split())


def names_and_codes(text: str) -> str:
    """The tokens of an English question that can appear verbatim in Vietnamese text."""
    kept = []
    for position, token in enumerate(text.split()):
        core = token.strip(PUNCTUATION)
        core = core[:-2] if core.endswith(("'s", "’s")) else core
        if not core:
            continue
        # A capital mid-sentence marks a name ("Bến Tre"); the first word is capitalised anyway.
        capitalised_name = core[0].isupper() and (
            position > 0 or core.lower() not in english_stopwords()
        )
        if any(ch.isdigit() for ch in core) or not core.isascii() or capitalised_name:
            kept.append(core)
    return " ".join(kept)


def lexical_query(
    text: str, expansions: tuple[str, ...] = (), *, folding: bool = True
) -> LexicalQuery:
    parts = (text, *expansions)
    syllable_terms: list[str] = []
    folded_terms: list[str] = []
    for part in parts:
        kept = [s for s in syllables(part) if not is_stopword(s)]
        syllable_terms += kept
        folded_terms += [fold(s) for s in kept]
        # Adjacent syllables as phrases reward passages that keep the question's word order.
        pairs = bigrams(syllables(part))
        syllable_terms += pairs
        folded_terms += [fold(pair) for pair in pairs]
    word_terms = [w for w in words(" ".join(parts)) if "_" in w]
    return LexicalQuery(
        syllables=tuple(dict.fromkeys(syllable_terms)),
        words=tuple(dict.fromkeys(word_terms)),
        folded=tuple(dict.fromkeys(folded_terms)) if folding else (),
    )


def bigrams(tokens: list[str]) -> list[str]:
    return [
        f"{a} {b}"
        for a, b in zip(tokens, tokens[1:], strict=False)
        if not is_stopword(a) and not is_stopword(b)
    ]
