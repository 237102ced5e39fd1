"""Follow-up questions: a turn that leaves out the place, the year or the indicator borrows them
from the earlier turns ("Còn Kon Tum thì sao?", "And by 2025?", "What about facility 3?"), and a
turn that points back at a document ("báo cáo này", "this plan") is asked of that document."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.scope import Gazetteer
from indexer.tokens import fold, has_diacritics
from service.qa.figure_question import content_syllables, sub_units_asked
from service.qa.intent import DOCUMENT_KINDS

# Matched on folded text: words that open or close a turn that continues the previous one.
FOLLOW_UP_CUE = re.compile(
    r"^\s*(?:con|the con|vay con|con ve|what about|how about|and|and what about|also|so)\b"
    r"|\b(?:thi sao|thi the nao|nhu the nao|ra sao|the nao)\s*\??\s*$"
    r"|\b(?:it|that|this|those|them|there|khong)\s*\??\s*$"
)
# A document named by pointing back: "báo cáo này", "văn bản đó", "this plan", "that decision".
DOCUMENT_DEIXIS = re.compile(
    r"\b" + DOCUMENT_KINDS + r"\s+(?:nay|do|tren)\b"
    r"|\b(?:this|that|the same)\s+(?:document|report|plan|programme|program|decision|directive)\b"
)
# A turn that names a level of its own ("toàn tỉnh", "the whole district") asks about that
# level, not the earlier turn's facility. Matched with accents on a turn typed with them:
# folded, "tình hình" would read as "tỉnh".
_ENGLISH_LEVEL = r"|\b(?:province|provincial|district|commune|whole)\b"
OWN_LEVEL = re.compile(
    r"\b(?:toàn|cả|cấp|tuyến) (?:tỉnh|huyện|xã)\b|\b(?:tỉnh|huyện)\b" + _ENGLISH_LEVEL
)
OWN_LEVEL_FOLDED = re.compile(
    r"\b(?:toan|ca|cap|tuyen) (?:tinh|huyen|xa)\b|\b(?:tinh|huyen)\b" + _ENGLISH_LEVEL
)
# A turn asking about a part of what the earlier answer counted: "Trong số đó …", "Of those, …".
# Its figure is written with the earlier one, in the same sentence or row.
WITHIN_PREVIOUS = re.compile(
    r"^\s*(?:trong (?:so )?(?:do|nay|ay)|(?:of|among) (?:those|them|these|which))\b"
)
# A turn this short (content syllables) cannot name an indicator on its own.
SHORT_TURN = 6


@dataclass(frozen=True)
class Turn:
    role: str  # "user" or "assistant"
    content: str


@dataclass(frozen=True)
class ResolvedQuestion:
    question: str  # the turn, with the place and year it leaves out written after it
    carried: str  # the earlier turn's words, for the indicator this turn leaves out
    previous: str | None  # the earlier user turn, when this one continues it
    points_back: bool  # names "this document": ask the one the earlier answer came from
    # the facility or site ("co so 2", "tuyen huyen") the turn leaves out and an earlier one
    # named: "Còn nội soi thì sao?" after a question about a centre's second site
    sub_units: tuple[str, ...] = ()
    # asks about a part of what the earlier answer counted ("Trong số đó …")
    within_previous: bool = False


def resolve_follow_up(
    question: str, history: Sequence[Turn], gazetteer: Gazetteer
) -> ResolvedQuestion:
    previous_turns = [t.content for t in history if t.role == "user"]
    if not previous_turns:
        return ResolvedQuestion(question, "", None, False)
    folded = fold(question)
    points_back = DOCUMENT_DEIXIS.search(folded) is not None
    within = WITHIN_PREVIOUS.search(folded) is not None
    scope = gazetteer.scope(question)
    content = content_syllables(question, scope.named_places)
    continues = (
        FOLLOW_UP_CUE.search(folded) is not None
        or within
        or points_back
        or len(content) < SHORT_TURN
        or not scope.places
    )
    if not continues:
        return ResolvedQuestion(question, "", None, False)
    previous = previous_turns[-1]
    # places and years come from the nearest earlier turn that names them
    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sub_units: tuple[str, ...] = ()
    for earlier in reversed(previous_turns):
        earlier_scope = gazetteer.scope(earlier)
        if not places:
            # a sub-unit belongs to its place: only turns up to the one naming the place count
            sub_units = sub_units or sub_units_asked(earlier)
        # as the turn named them: "Tây Ninh", resolved again to the former units it absorbed
        places = places or earlier_scope.asked_places
        years = years or earlier_scope.years
    if scope.places or sub_units_asked(question) or _names_own_level(question):
        sub_units = ()
    added = []
    if not scope.places:
        added += list(places)
    if not scope.years:
        added += [str(year) for year in years]
    resolved = f"{question.rstrip()} ({', '.join(added)})" if added else question
    carried = " ".join(
        s for s in content_syllables(previous, gazetteer.scope(previous).named_places) if s
    )
    return ResolvedQuestion(resolved, carried, previous, points_back, sub_units, within)


def _names_own_level(question: str) -> bool:
    if has_diacritics(question):
        return OWN_LEVEL.search(unicodedata.normalize("NFC", question).lower()) is not None
    return OWN_LEVEL_FOLDED.search(fold(question)) is not None
