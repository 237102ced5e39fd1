"""POST /api/feedback: an official's thumbs up/down on an answer, stored on the click with the
conversation's earlier turns; PATCH /api/feedback/{id} changes the rating or adds a comment (with
the edit key the POST gave). GET lists and exports them, a page at a time, for reviewers only
(they hold what officials asked)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from service.auth import require_reviewer
from service.dependencies import get_feedback_store
from service.errors import ApiError, ErrorCode
from service.feedback import Feedback, FeedbackStore, FeedbackTurn
from service.schemas import (
    FeedbackChange,
    FeedbackChanged,
    FeedbackCreated,
    FeedbackIn,
    FeedbackList,
    FeedbackOut,
    HistoryTurn,
)

router = APIRouter()
StoreDependency = Annotated[FeedbackStore, Depends(get_feedback_store)]
Before = Annotated[
    int | None, Query(ge=1, le=2**62, description="entries older than this id (the next page)")
]
READ_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "missing or wrong reviewer (or admin) token"},
    403: {"description": "no HEALTHQA_REVIEWER_TOKEN or HEALTHQA_ADMIN_TOKEN configured"},
}


def feedback_out(feedback: Feedback) -> FeedbackOut:
    return FeedbackOut(
        id=feedback.id,
        created_at=feedback.created_at,
        question=feedback.question,
        answer=feedback.answer,
        citations=list(feedback.citations),
        rating=feedback.rating,
        comment=feedback.comment,
        history=[HistoryTurn(role=turn.role, content=turn.content) for turn in feedback.history],
        updated_at=feedback.updated_at,
    )


def comment_of(text: str | None) -> str | None:
    return (text or "").strip() or None


@router.post(
    "/api/feedback",
    status_code=201,
    response_model=FeedbackCreated,
    responses={429: {"description": "too much feedback from this browser; see Retry-After"}},
)
def add_feedback(request: FeedbackIn, store: StoreDependency) -> FeedbackCreated:
    feedback = store.add(
        question=request.question,
        answer=request.answer,
        citations=request.citations,
        rating=request.rating,
        comment=comment_of(request.comment),
        history=[FeedbackTurn(turn.role, turn.content) for turn in request.history],
    )
    return FeedbackCreated(id=feedback.id, edit_key=feedback.edit_key or "")


@router.patch(
    "/api/feedback/{feedback_id}",
    response_model=FeedbackChanged,
    responses={404: {"description": "no feedback with this id and edit key (`not_found`)"}},
)
def change_feedback(
    change: FeedbackChange,
    store: StoreDependency,
    feedback_id: Annotated[int, Path(ge=1, le=2**62)],
) -> FeedbackChanged:
    fields = change.model_fields_set
    changes: dict[str, object] = {}
    if "rating" in fields and change.rating is not None:
        changes["rating"] = change.rating
    if "comment" in fields:
        changes["comment"] = comment_of(change.comment)
    feedback = store.update(feedback_id, change.edit_key, **changes)
    if feedback is None:  # the same answer for a wrong key: ids are not secret, keys are
        raise ApiError(404, ErrorCode.NOT_FOUND, "no feedback with this id and edit key")
    return FeedbackChanged(
        id=feedback.id,
        rating=feedback.rating,
        comment=feedback.comment,
        updated_at=feedback.updated_at,
    )


@router.get(
    "/api/feedback",
    response_model=FeedbackList,
    dependencies=[Depends(require_reviewer)],
    responses=READ_RESPONSES,
)
def list_feedback(
    store: StoreDependency,
    limit: Annotated[int, Query(ge=1, le=500, description="entries per page")] = 100,
    before: Before = None,
) -> FeedbackList:
    entries = store.page(limit=limit + 1, before=before)
    shown = entries[:limit]
    return FeedbackList(
        feedback=[feedback_out(f) for f in shown],
        next_before=shown[-1].id if len(entries) > limit else None,
    )


@router.get(
    "/api/feedback.jsonl", dependencies=[Depends(require_reviewer)], responses=READ_RESPONSES
)
def export_feedback(
    store: StoreDependency,
    limit: Annotated[int, Query(ge=1, le=10_000, description="entries per file")] = 10_000,
    before: Before = None,
) -> Response:
    """One JSON object a line, newest first, for review in a spreadsheet or a notebook; when more
    remain, `X-Next-Before` names the `before` of the next file."""
    entries = store.page(limit=limit + 1, before=before)
    shown = entries[:limit]
    lines = (json.dumps(feedback_out(f).model_dump(), ensure_ascii=False) + "\n" for f in shown)
    headers = {"Content-Disposition": 'attachment; filename="feedback.jsonl"'}
    if len(entries) > limit:
        headers["X-Next-Before"] = str(shown[-1].id)
    return Response(
        "".join(lines), media_type="application/x-ndjson; charset=utf-8", headers=headers
    )
