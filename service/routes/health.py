"""GET /healthz: is an index loaded, and how big is it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from service.dependencies import get_engine
from service.engine import Engine
from service.schemas import Health

router = APIRouter()


@router.get("/healthz", response_model=Health)
def health(engine: Annotated[Engine, Depends(get_engine)]) -> Health:
    manifest = engine.index.manifest
    return Health(
        status="ok",
        documents=manifest.counts.get("documents", 0),
        passages=manifest.counts.get("passages", 0),
        model_id=manifest.model_id,
        built_at=manifest.created_at,
    )
