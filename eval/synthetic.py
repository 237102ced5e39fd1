"""Synthetic Vietnamese health-plan documents for scale benchmarks, with planted facts.

Everything a document says comes from the seed corpus as the product's own indexer reads it:
indicator names and units from its table rows and "- Chỉ tiêu: 95%" items, list items and
section headings from its passages, signers' names, and the provinces of the gazetteer
(`indexer/data/provinces.txt`). Each document is a provincial plan (KẾ HOẠCH, one target column)
or report (BÁO CÁO, KH/TH columns) for one province and year, laid out as the seeds are: the
administrative header, "Căn cứ" clauses, Roman-numbered sections with list items, a table of
indicators, the distribution list and the signature.

A planted fact is a table row of a plan whose indicator + province + year occurs in no other
document and whose value no other row of that indicator starts with, so exactly one passage holds
its evidence. Generation is deterministic per document index: a larger corpus begins with the
documents of a smaller one, and their embeddings come from the cache.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from itertools import count
from pathlib import Path
from typing import Literal

from eval.dataset import EvalItem, ExpectedFigure
from indexer.attributes import load_provinces
from indexer.build import process
from indexer.clean import clean_text
from indexer.figures import parse_number, unit_vocabulary
from indexer.load import corpus_files, load_file
from indexer.structure import structure
from indexer.tokens import fold

DocumentKind = Literal["plan", "report"]
FIRST_YEAR, LAST_YEAR = 2021, 2030
ROWS_PER_TABLE = (12, 22)
ITEMS_PER_SECTION = (2, 3)
MAX_ITEM_CHARS = 240  # short list items keep passages short, and embedding 10k of them feasible

VALUES = r"[<>≤≥]?\s?\d[\d.,]*(?:\s*[-/]\s*\d[\d.,]*)?%?"
TABLE_ROW = re.compile(rf"^\d{{1,2}}\s+(?P<body>.+?)\s+(?P<values>{VALUES}(?:\s+{VALUES})*)\s*$")
TARGET_ITEM = re.compile(r"^[-+]\s*(?P<name>[A-ZĐÀ-Ỹ][^:\d]{5,90}):\s*\d[\d.,]*\s*(?P<unit>%|‰)?")
NUMBERING = re.compile(r"^(?:[IVX]{1,5}|[A-HĐ]|\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s*")
YEAR = re.compile(r"\b(20[0-4]\d)\b")
NOT_A_HEADING = re.compile(r"[\d…]|^(?:Phần|PHẦN|Chương|Phụ lục|Điều)\b")


@dataclass(frozen=True)
class Indicator:
    name: str  # "Tỷ lệ dân số tham gia BHYT"
    unit: str  # as a table writes it: "%", "Bác sĩ", "" when none


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # "tỉnh" or "thành phố"


@dataclass(frozen=True)
class Vocabulary:
    indicators: tuple[Indicator, ...]
    list_items: tuple[str, ...]  # "- …" lines; their years are shifted to each document's
    headings: tuple[str, ...]  # section titles without their numbering
    places: tuple[Place, ...]
    signers: tuple[str, ...]


@dataclass(frozen=True)
class PlantedFact:
    item_id: str
    source: str  # the file that holds it
    place: str
    year: int
    indicator: str
    unit: str
    value_text: str  # as written: "83,47"
    evidence: str  # what the one relevant passage contains
    question: str

    @property
    def value(self) -> float:
        return parse_number(self.value_text)

    def eval_item(self) -> EvalItem:
        return EvalItem(
            item_id=self.item_id,
            question=self.question,
            turns=(self.question,),
            evidence=(self.evidence,),
            answer=ExpectedFigure(value=self.value, unit=self.unit or None),
            answerable=True,
            docs=(self.source,),
        )


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    values: tuple[str, ...]  # one per value column

    def text(self, ordinal: int) -> str:
        unit = f" {self.indicator.unit}" if self.indicator.unit else ""
        return f"{ordinal} {self.indicator.name}{unit} {' '.join(self.values)}"


@dataclass(frozen=True)
class SyntheticDocument:
    source: str
    kind: DocumentKind
    place: Place
    year: int
    text: str
    rows: tuple[Row, ...]
    passages: int  # as the product's structure splits it


@dataclass(frozen=True)
class SyntheticCorpus:
    documents: tuple[SyntheticDocument, ...]
    facts: tuple[PlantedFact, ...]

    @property
    def passages(self) -> int:
        return sum(document.passages for document in self.documents)

    def eval_items(self) -> list[EvalItem]:
        return [fact.eval_item() for fact in self.facts]

    def write(self, corpus_dir: Path) -> None:
        """One .txt per document; synthetic files of an earlier, different corpus are removed
        so that a kept folder always holds exactly this corpus."""
        corpus_dir.mkdir(parents=True, exist_ok=True)
        current = {document.source for document in self.documents}
        for stale in corpus_dir.glob("syn*.txt"):
            if stale.name not in current:
                stale.unlink()
        for document in self.documents:
            path = corpus_dir / document.source
            if not path.is_file() or path.read_text(encoding="utf-8") != document.text:
                path.write_text(document.text, encoding="utf-8")

    def write_questions(self, path: Path) -> None:
        """The planted facts in the dev set's JSONL format (`healthqa eval --set` reads it)."""
        lines = []
        for fact in self.facts:
            item = fact.eval_item()
            record = {
                "id": item.item_id,
                "question": item.question,
                "docs": list(item.docs),
                "evidence": list(item.evidence),
                "answer": asdict(item.answer) if item.answer else None,
                "answerable": True,
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def harvest_vocabulary(corpus_dir: Path) -> Vocabulary:
    """Indicators, list items, headings and signers of the seed corpus, as the indexer reads
    it; anything naming a place is left out so each synthetic document names only its own."""
    places = tuple(Place(p.name, p.kind) for p in load_provinces())
    place_names = {fold(name) for p in load_provinces() for name in (p.name, *p.aliases)}
    indicators: dict[str, Indicator] = {}
    items: dict[str, str] = {}
    headings: dict[str, str] = {}
    signers: list[str] = []
    for path in corpus_files(corpus_dir):
        processed = process(load_file(path, corpus_dir))
        attributes = processed.document.attributes
        place_names |= {fold(p) for p in (attributes.province, attributes.district) if p}
        if attributes.signer:
            signers.append(attributes.signer)
        for passage in processed.passages:
            for label in passage.section:
                heading = NUMBERING.sub("", label).strip(" :")
                if 4 <= len(heading) <= 70 and not NOT_A_HEADING.search(heading):
                    headings.setdefault(fold(heading), heading)
            if passage.kind == "table_row":
                indicator = _row_indicator(passage.text)
                if indicator:
                    indicators.setdefault(fold(indicator.name), indicator)
            for line in passage.text.splitlines():
                line = line.strip()
                match = TARGET_ITEM.match(line)
                if match:
                    found = Indicator(match["name"].strip(), match["unit"] or "")
                    indicators.setdefault(fold(found.name), found)
                elif (
                    line.startswith("- ")
                    and 30 <= len(line) <= MAX_ITEM_CHARS
                    and _prose_like(line)
                ):
                    items.setdefault(fold(line), line)
    mentions_place = _place_pattern(place_names)
    vocabulary = Vocabulary(
        indicators=tuple(i for i in indicators.values() if not mentions_place(i.name)),
        list_items=tuple(i for i in items.values() if not mentions_place(i)),
        headings=tuple(h for h in headings.values() if not mentions_place(h)),
        places=places,
        signers=tuple(signers),
    )
    if len(vocabulary.indicators) < 5 or not vocabulary.list_items or len(vocabulary.headings) < 5:
        raise ValueError(
            f"{corpus_dir} has too few indicator tables, list items or headings to assemble "
            "synthetic documents from: point --corpus at the seed corpus"
        )
    return vocabulary


def generate_corpus(
    vocabulary: Vocabulary, passages: int, *, planted: int = 100, seed: int = 0
) -> SyntheticCorpus:
    """Documents until the product's structure splits them into at least `passages` passages,
    and up to `planted` facts spread evenly over the plans' rows."""
    settings = _settings(vocabulary, seed)
    documents: list[SyntheticDocument] = []
    total = 0
    for number in count():
        if total >= passages:
            break
        document = _document(vocabulary, number, settings[number % len(settings)], seed)
        documents.append(document)
        total += document.passages
    facts = _plant(documents, planted)
    return SyntheticCorpus(documents=tuple(documents), facts=tuple(facts))


def _settings(vocabulary: Vocabulary, seed: int) -> list[tuple[Place, int, DocumentKind]]:
    """Every (place, year, kind) once, in a seeded order that does not depend on the size."""
    combos: list[tuple[Place, int, DocumentKind]] = [
        (place, year, kind)
        for place in vocabulary.places
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for kind in ("plan", "report")
    ]
    random.Random(f"settings:{seed}").shuffle(combos)
    return combos


def _document(
    vocabulary: Vocabulary, number: int, setting: tuple[Place, int, DocumentKind], seed: int
) -> SyntheticDocument:
    place, year, kind = setting
    rng = random.Random(f"document:{seed}:{number}")
    wanted = min(rng.randint(*ROWS_PER_TABLE), len(vocabulary.indicators))
    rows = tuple(
        Row(indicator, _values(rng, indicator, kind))
        for indicator in rng.sample(vocabulary.indicators, wanted)
    )
    text = "\n".join(_lines(vocabulary, rng, place, year, kind, rows)) + "\n"
    source = f"syn{number:06d}.txt"
    passages = len(structure(source, clean_text(text).text).passages)
    return SyntheticDocument(source, kind, place, year, text, rows, passages)


def _lines(
    vocabulary: Vocabulary,
    rng: random.Random,
    place: Place,
    year: int,
    kind: DocumentKind,
    rows: tuple[Row, ...],
) -> Iterator[str]:
    issued = year - 1 if kind == "plan" else year + 1
    code = "KH-SYT" if kind == "plan" else "BC-SYT"
    yield f"UBND {place.kind.upper()} {place.name.upper()} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    yield "SỞ Y TẾ Độc lập – Tự do – Hạnh phúc"
    yield ""
    yield (
        f"Số: {rng.randint(10, 999)}/{code} {place.name}, ngày {rng.randint(1, 28)} "
        f"tháng {rng.randint(1, 12):02d} năm {issued}"
    )
    yield ""
    if kind == "plan":
        yield "KẾ HOẠCH"
        yield f"Thực hiện các chỉ tiêu y tế năm {year}"
    else:
        yield "BÁO CÁO"
        yield f"Kết quả thực hiện các chỉ tiêu y tế năm {year}"
    yield ""
    yield (
        f"Căn cứ Quyết định số {rng.randint(10, 999)}/QĐ-UBND ngày {rng.randint(1, 28)}/"
        f"{rng.randint(1, 12):02d}/{year - 1} của UBND {place.kind} về việc giao chỉ tiêu kế "
        f"hoạch phát triển kinh tế - xã hội năm {year};"
    )
    yield ""
    action = "xây dựng Kế hoạch thực hiện" if kind == "plan" else "báo cáo kết quả thực hiện"
    yield f"Sở Y tế {place.kind} {place.name} {action} các chỉ tiêu y tế năm {year} như sau:"
    yield ""
    headings = rng.sample(vocabulary.headings, min(5, len(vocabulary.headings)))
    yield f"I. {headings[0].upper()}"
    for number, heading in enumerate(headings[1:3], start=1):
        yield f"{number}. {heading}"
        yield from _items(vocabulary, rng, year)
    yield f"II. CÁC CHỈ TIÊU Y TẾ NĂM {year}"
    if kind == "plan":
        yield f"TT Chỉ tiêu Đơn vị tính Năm {year}"
    else:
        yield f"TT Chỉ tiêu ĐVT KH {year} TH {year}"
    for ordinal, row in enumerate(rows, start=1):
        yield row.text(ordinal)
    yield ""
    yield f"III. {headings[3 % len(headings)].upper()}"
    yield from _items(vocabulary, rng, year)
    yield "Nơi nhận:"
    yield "- Bộ Y tế;"
    yield f"- UBND {place.kind};"
    yield "- Lưu: VT."
    yield ""
    yield "GIÁM ĐỐC"
    yield ""
    yield _signer(vocabulary, rng)


def _items(vocabulary: Vocabulary, rng: random.Random, year: int) -> Iterator[str]:
    wanted = min(rng.randint(*ITEMS_PER_SECTION), len(vocabulary.list_items))
    for item in rng.sample(vocabulary.list_items, wanted):
        yield YEAR.sub(lambda m: str(int(m.group(1)) - 2025 + year), item)


def _signer(vocabulary: Vocabulary, rng: random.Random) -> str:
    """Family, middle and given names of different seed signers recombined."""
    names = [name.split() for name in vocabulary.signers if len(name.split()) >= 2]
    if not names:
        return ""
    family = rng.choice(names)[0]
    middle = rng.choice(names)[1:-1] or rng.choice(names)[1:-1]
    given = rng.choice(names)[-1]
    return " ".join([family, *middle, given])


def _values(rng: random.Random, indicator: Indicator, kind: DocumentKind) -> tuple[str, ...]:
    columns = 1 if kind == "plan" else 2
    return tuple(_value(rng, indicator.unit) for _ in range(columns))


def _value(rng: random.Random, unit: str) -> str:
    """A number written the Vietnamese way: comma decimals, dot thousands."""
    if unit in ("%", "‰", "%o"):
        return f"{rng.uniform(40, 99.9):.2f}".replace(".", ",")
    if rng.random() < 0.5:
        return f"{rng.uniform(1, 60):.2f}".replace(".", ",")
    return f"{rng.randint(1_000, 99_999):,}".replace(",", ".")


def _plant(documents: list[SyntheticDocument], planted: int) -> list[PlantedFact]:
    """Up to `planted` rows of plans, spread evenly over the corpus, among those whose
    indicator, place and year are unique in the corpus and whose value no other row of the
    indicator begins with (so that exactly one passage holds the evidence)."""
    triples = Counter(
        (fold(row.indicator.name), fold(d.place.name), d.year) for d in documents for row in d.rows
    )
    first_values: dict[str, list[str]] = {}
    for document in documents:
        for row in document.rows:
            first_values.setdefault(fold(row.indicator.name), []).append(row.values[0])
    candidates: list[tuple[SyntheticDocument, Row]] = []
    for document in documents:
        if document.kind != "plan":
            continue
        for row in document.rows:
            key = fold(row.indicator.name)
            value = row.values[0]
            if triples[(key, fold(document.place.name), document.year)] != 1:
                continue
            if sum(1 for v in first_values[key] if v.startswith(value)) != 1:
                continue
            candidates.append((document, row))
    if not candidates or planted <= 0:
        return []
    step = max(len(candidates) / planted, 1.0)
    chosen = [candidates[int(i * step)] for i in range(min(planted, len(candidates)))]
    return [_fact(number, *choice) for number, choice in enumerate(chosen, start=1)]


QUESTIONS = (
    "{name} của {kind} {place} năm {year} là bao nhiêu?",
    "Chỉ tiêu {lower} năm {year} của {kind} {place}?",
    "Năm {year}, {kind} {place} đặt chỉ tiêu {lower} là bao nhiêu?",
)


def _fact(number: int, document: SyntheticDocument, row: Row) -> PlantedFact:
    indicator = row.indicator
    template = QUESTIONS[number % len(QUESTIONS)]
    question = template.format(
        name=indicator.name,
        lower=indicator.name[0].lower() + indicator.name[1:],
        kind=document.place.kind,
        place=document.place.name,
        year=document.year,
    )
    if number % 4 == 0:  # officials type without accents too
        question = fold(question)
    unit = f" {indicator.unit}" if indicator.unit else ""
    return PlantedFact(
        item_id=f"syn{number:05d}",
        source=document.source,
        place=document.place.name,
        year=document.year,
        indicator=indicator.name,
        unit=indicator.unit,
        value_text=row.values[0],
        evidence=f"{indicator.name}{unit} {row.values[0]}",
        question=question,
    )


def _row_indicator(text: str) -> Indicator | None:
    match = TABLE_ROW.match(text.strip())
    if not match:
        return None
    body = match["body"].strip()
    for written, _ in unit_vocabulary():
        if body.lower().endswith(" " + written.lower()) and len(body) > len(written) + 5:
            name = body[: -len(written)].strip()
            return Indicator(name, body[-len(written) :]) if _plausible(name) else None
    return Indicator(body, "") if _plausible(body) else None


def _prose_like(line: str) -> bool:
    """A sentence rather than a flattened table row ("- Lao phổi M(+) mới 1.060 128.6% 0.8%")."""
    return len(re.findall(r"\d[\d.,]*", line)) <= 2 and len(line.split()) >= 6


def _plausible(name: str) -> bool:
    return 6 <= len(name) <= 90 and name[0].isupper() and not YEAR.search(name)


def _place_pattern(folded_names: set[str]) -> Callable[[str], bool]:
    names = sorted((re.escape(n) for n in folded_names if n), key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(names) + r"|huyen|thi xa)\b")
    return lambda text: bool(pattern.search(fold(text)))
