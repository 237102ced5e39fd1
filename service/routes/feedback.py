"""POST /api/feedback: an official's thumbs up/down on an answer; GET lists and exports them."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from service.dependencies import get_feedback_store
from service.feedback import Feedback, FeedbackStore
from service.schemas import FeedbackCreated, FeedbackIn, FeedbackList, FeedbackOut

router = APIRouter()
StoreDependency = Annotated[FeedbackStore, Depends(get_feedback_store)]


def feedback_out(feedback: Feedback) -> FeedbackOut:
    return FeedbackOut(
        id=feedback.id,
        created_at=feedback.created_at,
        question=feedback.question,
        answer=feedback.answer,
        citations=list(feedback.citations),
        rating=feedback.rating,
        comment=feedback.comment,
    )


@router.post("/api/feedback", status_code=201, response_model=FeedbackCreated)
def add_feedback(request: FeedbackIn, store: StoreDependency) -> FeedbackCreated:
    comment = (request.comment or "").strip() or None
    feedback = store.add(
        question=request.question,
        answer=request.answer,
        citations=request.citations,
        rating=request.rating,
        comment=comment,
    )
    return FeedbackCreated(id=feedback.id)


@router.get("/api/feedback", response_model=FeedbackList)
def list_feedback(store: StoreDependency) -> FeedbackList:
    return FeedbackList(feedback=[feedback_out(f) for f in store.all()])


@router.get("/api/feedback.jsonl")
def export_feedback(store: StoreDependency) -> Response:
    """One JSON object a line, newest first, for review in a spreadsheet or a notebook."""
    lines = (
        json.dumps(feedback_out(f).model_dump(), ensure_ascii=False) + "\n" for f in store.all()
    )
    return Response(
        "".join(lines),
        media_type="application/x-ndjson; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="feedback.jsonl"'},
    )
