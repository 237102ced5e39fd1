"""What a figure question asks for, as constraints and weighted terms: the places and years it
names, whether it wants a target or a result, a rate, a count or an amount of money, and the
terms that name the indicator (with abbreviations and English renderings as alternatives)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from indexer.abbreviations import abbreviations, written_out
from indexer.glossary import Glossary
from indexer.scope import YEAR, QueryScope
from indexer.tokens import WORD_SEPARATOR, fold, has_diacritics, is_stopword, syllables, words
from service.qa.rate_form import RateForm, asked_rate

Measure = Literal["rate", "count", "money"]
CARRIED_WEIGHT = 0.5  # an earlier turn's indicator words, when the turn names one word itself
NEGATIONS = frozenset({"khong", "chua"})  # folded
Wanted = Literal["target", "result"]
Extreme = Literal["highest", "lowest"]

# Question words that ask for a plan or goal rather than what happened, and the reverse. Matched on
# folded text, so unaccented questions count; they describe the grammar of questions, not any
# indicator.
TARGET_CUES = re.compile(
    r"\b(chi tieu|ke hoach|muc tieu|phan dau|duoc giao|giao|du kien|du toan|phai|can dat|"
    r"target(?:s|ed)?|plan(?:ned|s)?|aim(?:s|ed)?|goal|expected|should|supposed|by 20\d\d|kh)\b"
)
RESULT_CUES = re.compile(
    r"\b(thuc (?:hien|te|thu|chi)|dat|ket qua|ghi nhan|phat hien|actual(?:ly)?|achieved|"
    r"performed|recorded|were|was|did|carried out|had|th)\b"
)
# "phải đạt", "cần đạt", "phấn đấu đạt": a goal, though "đạt" is also how results are reported.
GOAL_REACH = re.compile(r"\b(?:phai|can|phan dau|muc tieu)(?: \w+){0,2} dat\b")
# "được mấy phần trăm KH": the percent is of the plan, not the measure asked for.
SHARE_OF_PLAN = re.compile(r"(?:%|phan tram)\s*(?:so voi\s*)?(?:ke hoach|kh|chi tieu|du toan)\b")
RATE_CUES = re.compile(
    r"\b(t[iy] le|t[iy] suat|t[iy] so|phan tram|bao nhieu %|may %|rate|ratio|percent(?:age)?|share|"
    r"proportion|coverage)\b|%"
)
MONEY_CUES = re.compile(
    r"\b(tien|dong|kinh phi|ngan sach|chi phi|trieu|t[iy] dong|spend|spent|cost|"
    r"budget|money|paid|income)\b"
)
# "… cao nhất", "which unit … the highest": the largest or smallest of the figures reported side by
# side. Question grammar, matched on folded text; "ít nhất" is "at least", a comparator, not one.
HIGHEST_CUES = re.compile(
    r"\b(cao nhat|nhieu nhat|lon nhat|highest|largest|greatest|biggest|the most)\b"
)
LOWEST_CUES = re.compile(r"\b(thap nhat|nho nhat|lowest|smallest|fewest|the least)\b")
# A count is asked with "số" or "bao nhiêu" + what is counted ("bao nhiêu ca"); "… là bao
# nhiêu?" after a rate or an amount names no kind of quantity. Folded, "so" is also "sở" (Sở Y
# tế) and "sơ" (hồ sơ); "tỷ số", "chỉ số" and "hệ số" are ratios and indices.
COUNT_CUES = re.compile(
    r"\b(how many|number of|count|tong so|bao nhieu (?!%|phan tram|tien|dong\b)[a-z])"
)
COUNT_WORD = re.compile(r"(?<!tỷ )(?<!tỉ )(?<!chỉ )(?<!hệ )\bsố\b")
FOLDED_COUNT_WORD = re.compile(r"(?<!ty )(?<!ti )(?<!chi )(?<!he )(?<!ho )\bso\b(?! y te)")
# Sub-units narrower than a district or a province: "cơ sở 2", "các TYT xã", "tuyến huyện".
SUB_UNIT = re.compile(
    r"\b(co so \d+|facility \d+|site|second site|tyt xa|tram y te xa|tuyen (?:tinh|huyen|xa)|"
    r"phong kham da khoa khu vuc|pkdkkv)\b"
)
# The word that introduces a year, with or without its accents.
YEAR_WORD = re.compile(r"\bn[aă]m\s+(?=(?:19|20)\d\d\b)", re.IGNORECASE)
# A one- or two-digit number standing alone: not a piece of "1.000" or "2,5".
# Not a digit of a name: "COVID-19", "H5N1", "SARS-CoV-2" name a disease or a virus.
SMALL_NUMBER = re.compile(r"(?<![\d.,])(?<![^\W\d_])(?<![^\W\d_]-)\d{1,2}(?!\d|[.,]\d)")
# Ordinals that name a dose, a round or a birth order, as the number a label writes.
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "thu nhat": 1,
    "thu hai": 2,
    "thu ba": 3,
}
ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b")
# A hospital named by its level ("BV huyện", "bệnh viện tuyến tỉnh") is that level's sub-unit.
LEVEL_HOSPITAL = re.compile(r"\b(?:bv|benh vien)(?: da khoa)?(?: tuyen)? (tinh|huyen)\b")


def sub_units_in(folded: str) -> tuple[str, ...]:
    """The sub-units accent-folded text names, hospitals by their level ("tuyen huyen")."""
    found = [m.group(1) for m in SUB_UNIT.finditer(folded)]
    found += [f"tuyen {m.group(1)}" for m in LEVEL_HOSPITAL.finditer(folded)]
    return tuple(dict.fromkeys(found))


def sub_units_asked(question: str) -> tuple[str, ...]:
    """The sub-units a question (or a figure's scope and label) names, its abbreviations written
    out, so that "TYT xã" and "trạm y tế xã" are one sub-unit."""
    return sub_units_in(fold(written_out(question)))


@dataclass(frozen=True)
class TermGroup:
    """One term of the question: any alternative expresses it (an abbreviation or its long form;
    the Vietnamese renderings of an English term). `weight` scales its importance: terms carried
    over from an earlier turn count less than the turn's own."""

    alternatives: tuple[tuple[str, ...], ...]
    weight: float = 1.0
    unrendered: bool = False  # an English word with no Vietnamese rendering
    # matched as written, accents and all: a question typed with accents, a glossary rendering
    # ("nam" is male, not "năm"); a question typed without any is matched accent-blind
    exact: bool = True


@dataclass(frozen=True)
class FigureQuestion:
    terms: tuple[TermGroup, ...]
    pairs: tuple[str, ...]  # adjacent content syllables, as the question wrote them
    scope: QueryScope
    wanted: Wanted | None
    measure: Measure | None
    sub_units: tuple[str, ...]  # folded sub-unit names the question asks about
    # small numbers that qualify the indicator: "mũi 3", "lần 2", "trẻ 6-14 tuổi", "con thứ 4"
    qualifiers: frozenset[int] = frozenset()
    extreme: Extreme | None = None  # asks which of several figures is the highest or lowest
    # (document, offset) of the earlier answer's figure when the turn asks about a part of what
    # it counted ("Trong số đó …"): the answer is written on that figure's line
    within: tuple[str, int] | None = None
    rate: RateForm = RateForm()  # the base, numerator and ratio wording a rate is asked with


def analyze_figure_question(
    question: str,
    scope: QueryScope,
    glossary: Glossary,
    *,
    language: str,
    carried: str = "",
    carried_sub_units: tuple[str, ...] = (),
    within: tuple[str, int] | None = None,
) -> FigureQuestion:
    """`carried` is what a follow-up inherits from earlier turns (their indicator words);
    `carried_sub_units` the facility or site they named, when this turn names none."""
    folded = fold(question)
    place_syllables = {s for place in scope.named_places for s in syllables(fold(place))}
    place_syllables |= _initialisms(scope.places)
    accented = typed_with_accents(question, place_syllables)
    terms, pairs = _terms(question, 1.0, place_syllables, glossary, language)
    own_terms = list(terms)
    if carried:
        # the more of the indicator a turn names itself, the less it borrows: "Còn bệnh viện
        # tư nhân?" asks about a new indicator, "And the second one?" about a variant of the
        # earlier one
        own = sum(1 for term in terms if not term.unrendered) or 1
        borrowed, borrowed_pairs = _terms(
            carried, CARRIED_WEIGHT / own, place_syllables, glossary, language
        )
        terms += borrowed
        pairs += borrowed_pairs
    return FigureQuestion(
        terms=tuple(_unique(terms)),
        pairs=tuple(dict.fromkeys(pairs)),
        scope=scope,
        wanted=_wanted(folded),
        measure=measure_in(question, accented=accented) or _rendered_measure(own_terms, language),
        sub_units=sub_units_asked(question) or carried_sub_units,
        qualifiers=qualifier_numbers(question),
        extreme=extreme_in(folded),
        within=within,
        rate=asked_rate(
            question,
            [" ".join(a) for t in own_terms if not t.unrendered for a in t.alternatives],
            english=language == "en",
        ),
    )


def _rendered_measure(terms: list[TermGroup], language: str) -> Measure | None:
    """Whether an English question asks an amount of money, read from the Vietnamese renderings
    of its own nouns when its words say nothing: "fines" renders as "phạt tiền". Counts and
    rates are not read this way: "population" renders as "dân số", which a rate is also of."""
    if language != "en":
        return None
    rendered = " ".join(" ".join(t.alternatives[0]) for t in terms if not t.unrendered)
    return "money" if measure_in(rendered, accented=True) == "money" else None


def extreme_in(folded: str) -> Extreme | None:
    """Whether a (folded) question asks for the highest or the lowest of several figures."""
    if HIGHEST_CUES.search(folded):
        return "highest"
    if LOWEST_CUES.search(folded):
        return "lowest"
    return None


def _terms(
    text: str, weight: float, place_syllables: set[str], glossary: Glossary, language: str
) -> tuple[list[TermGroup], list[str]]:
    """The terms of `text` that can name an indicator, each of `weight`, and its adjacent
    content syllables."""
    terms: list[TermGroup] = []
    if language == "en":
        for renderings in glossary.expand_groups(text):
            alternatives = tuple(
                tuple(alt) for alt in (_content(r, place_syllables) for r in renderings) if alt
            )
            if alternatives:
                terms.append(TermGroup(alternatives, weight, exact=True))
        # names, numbers and acronyms that an English question writes as the documents do
        for token in re.findall(r"\b[A-ZĐ][A-ZĐ0-9+()/-]{1,}\b", text):
            terms.extend(_vietnamese_terms(token, place_syllables, weight))
        # content words the glossary cannot render still name part of what is asked: they
        # count as unmatched, so a figure that only matches the rest is less certain
        for word in glossary.unrendered(text):
            # "aim", "target", "achieved" say which kind of figure is asked (`wanted`),
            # not what it measures
            if fold(word) not in place_syllables and not _is_kind_cue(word):
                terms.append(TermGroup(((word.lower(),),), weight, unrendered=True))
    else:
        terms.extend(_vietnamese_terms(text, place_syllables, weight))
    content = _content(_without_years(text), place_syllables)
    return terms, [f"{a} {b}" for a, b in zip(content, content[1:], strict=False)]


def _is_kind_cue(word: str) -> bool:
    return any(cue.fullmatch(word) for cue in (TARGET_CUES, RESULT_CUES))


def qualifier_numbers(text: str) -> frozenset[int]:
    """One- and two-digit numbers in a label or question, years aside: the dose, the round, the
    age band or the birth order an indicator is about ("first", "thứ hai" count as 1, 2).
    Longer ones are quantities or denominators ("trên 1.000 trẻ sinh sống")."""
    numbers = {int(n) for n in SMALL_NUMBER.findall(_without_years(text))}
    numbers |= {ORDINALS[m.group(1)] for m in ORDINAL.finditer(fold(text))}
    return frozenset(numbers)


def _vietnamese_terms(text: str, place_syllables: set[str], weight: float) -> list[TermGroup]:
    # abbreviations are written in capitals ("BN" is bệnh nhân; "bn" in chat is bao nhiêu)
    capitals = {t.lower() for t in re.findall(r"[^\W\d_]+", text) if t.isupper() and len(t) > 1}
    long_forms = {short.lower(): long for short, long in abbreviations().items()}
    groups = []
    exact = typed_with_accents(text, place_syllables)
    for word in _content_words(_without_years(text), place_syllables, segment=exact):
        alternatives = [word]
        long_form = long_forms.get(word[0]) if len(word) == 1 and word[0] in capitals else None
        if long_form:
            alternatives.append(tuple(syllables(long_form)))
        groups.append(TermGroup(tuple(alternatives), weight, exact=exact))
    return groups


def typed_with_accents(text: str, place_syllables: set[str]) -> bool:
    """Whether a question was typed with accents, and so is matched with them: the names of
    places given back their accents ("Ca Mau" → "Cà Mau", "TTYT" → "Trung tâm Y tế …") do not
    make an unaccented question one."""
    return any(has_diacritics(s) for s in syllables(text) if fold(s) not in place_syllables)


def _content_words(text: str, place_syllables: set[str], *, segment: bool) -> list[tuple[str, ...]]:
    """The content syllables of `text` grouped into its words ("phát hiện" is one term, so
    "phát thuốc" expresses only half of it). Text typed without accents is not segmented
    reliably: each syllable is then a term of its own."""
    if not segment:
        return [(s,) for s in _content(text, place_syllables)]
    owners = [(s, n) for n, word in enumerate(words(text)) for s in word.split(WORD_SEPARATOR)]
    kept = _content_positions([s for s, _ in owners], place_syllables)
    grouped: dict[int, list[str]] = {}
    for position in kept:
        syllable, owner = owners[position]
        grouped.setdefault(owner, []).append(syllable)
    return [tuple(group) for group in grouped.values()]


def content_syllables(text: str, places: Sequence[str]) -> list[str]:
    """The syllables of `text` that can name an indicator: not a question word, a number, a year
    or a syllable of the places named."""
    place_syllables = {s for place in places for s in syllables(fold(place))} | _initialisms(
        tuple(places)
    )
    return _content(_without_years(text), place_syllables)


def _without_years(text: str) -> str:
    """`text` without its years, and the "năm" that introduces one ("năm 2023", typed "nam 2023"
    without accents): the year is the question's scope, which the facets check, not a word an
    indicator's label must hold."""
    return YEAR.sub(" ", YEAR_WORD.sub(" ", text))


def _content(text: str, place_syllables: set[str]) -> list[str]:
    """Content syllables in order; a negation stays when it qualifies the next one ("trạm không
    có bác sĩ" is not "trạm có bác sĩ"), unlike the question particle ("… không?")."""
    found = list(syllables(text))
    return [found[i] for i in _content_positions(found, place_syllables)]


def _content_positions(found: Sequence[str], place_syllables: set[str]) -> list[int]:
    kept = []
    for i, syllable in enumerate(found):
        if _is_content(syllable, place_syllables):
            kept.append(i)
        elif fold(syllable) in NEGATIONS and i + 1 < len(found):
            if _is_content(found[i + 1], place_syllables):
                kept.append(i)
    return kept


def _is_content(syllable: str, place_syllables: set[str]) -> bool:
    return not (is_stopword(syllable) or syllable.isdigit() or fold(syllable) in place_syllables)


def _initialisms(places: tuple[str, ...]) -> set[str]:
    """ "ST" for Sóc Trăng: officials abbreviate place names by their initials."""
    return {"".join(s[0] for s in syllables(fold(p))) for p in places if len(p.split()) > 1}


def wanted_in(text: str) -> Wanted | None:
    """Whether `text` asks for a target or a result."""
    return _wanted(fold(text))


def _wanted(folded: str) -> Wanted | None:
    target = TARGET_CUES.search(folded)
    result = RESULT_CUES.search(GOAL_REACH.sub(" ", folded))
    if target and result:
        # "chỉ tiêu … nhưng thực tế đạt": the result is the answer, the plan comes with it
        return "result"
    if target:
        return "target"
    if result:
        return "result"
    return None


def measure_in(text: str, *, accented: bool | None = None) -> Measure | None:
    """What kind of quantity text speaks of: a rate, money or a count. `accented` says whether
    the text was typed with accents (by default: whether it has any)."""
    folded = SHARE_OF_PLAN.sub(" ", fold(text))
    if RATE_CUES.search(folded):
        return "rate"
    if MONEY_CUES.search(folded):
        return "money"
    if COUNT_CUES.search(folded):
        return "count"
    if has_diacritics(text) if accented is None else accented:
        counted = COUNT_WORD.search(text.lower())
    else:
        counted = FOLDED_COUNT_WORD.search(folded)
    return "count" if counted else None


def _unique(groups: list[TermGroup]) -> list[TermGroup]:
    seen: dict[tuple[tuple[str, ...], ...], TermGroup] = {}
    for group in groups:
        kept = seen.get(group.alternatives)
        if kept is None or kept.weight < group.weight:
            seen[group.alternatives] = group
    return list(seen.values())
