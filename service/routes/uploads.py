"""POST /api/documents and DELETE /api/documents/{doc_id}: change the corpus (admin token
needed), answer 202 at once and rebuild the index in a background job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile

from service.auth import require_admin
from service.engine import EngineHolder
from service.jobs import JobRunner
from service.rebuild import rebuild_and_swap
from service.schemas import DocumentChangeAccepted
from service.settings import Settings
from service.uploads import (
    DocumentNotFound,
    UploadLimits,
    UploadRejected,
    check_upload,
    parse_metadata,
    remove_document,
    store_upload,
)

router = APIRouter(dependencies=[Depends(require_admin)])
MetadataField = Annotated[str | None, Form(max_length=500)]
UPLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "missing or wrong admin token"},
    403: {"description": "writes are disabled (no HEALTHQA_ADMIN_TOKEN)"},
    409: {"description": "the same file is already in the corpus"},
    413: {"description": "too large: bytes, pages, text or decompressed size"},
    415: {"description": "not a PDF, DOCX or UTF-8/UTF-16 text file"},
    422: {"description": "unreadable: empty, corrupt, encrypted, no text"},
}


@router.post(
    "/api/documents",
    status_code=202,
    response_model=DocumentChangeAccepted,
    responses=UPLOAD_RESPONSES,
)
def add_document(
    request: Request,
    file: Annotated[UploadFile, File(description="one .pdf, .docx or .txt file")],
    doc_type: MetadataField = None,
    number: MetadataField = None,
    issuing_body: MetadataField = None,
    issued_date: MetadataField = None,
    signer: MetadataField = None,
    province: MetadataField = None,
    district: MetadataField = None,
    plan_years: MetadataField = None,
    title: MetadataField = None,
) -> DocumentChangeAccepted:
    settings: Settings = request.app.state.settings
    engines: EngineHolder = request.app.state.engines
    data = file.file.read(settings.max_upload_bytes + 1)
    try:
        upload = check_upload(data, file.filename, UploadLimits.from_settings(settings))
        metadata = parse_metadata(
            {
                "doc_type": doc_type,
                "number": number,
                "issuing_body": issuing_body,
                "issued_date": issued_date,
                "signer": signer,
                "province": province,
                "district": district,
                "plan_years": plan_years,
                "title": title,
            }
        )
        stored = store_upload(
            settings.corpus_dir,
            upload,
            metadata,
            indexed=lambda doc_id: engines.current.index.store.document(doc_id) is not None,
        )
    except UploadRejected as error:
        raise HTTPException(error.status, str(error)) from error
    jobs: JobRunner = request.app.state.jobs
    what = "the stored but unindexed document" if stored.already_stored else "the new document"
    job = jobs.submit(
        f"index {what} {stored.doc_id}",
        lambda report: rebuild_and_swap(settings, engines, report, added_doc_id=stored.doc_id),
    )
    return DocumentChangeAccepted(
        doc_id=stored.doc_id,
        job_id=job.job_id,
        job_url=f"/api/jobs/{job.job_id}",
        source=stored.path.name,
    )


@router.delete(
    "/api/documents/{doc_id}",
    status_code=202,
    response_model=DocumentChangeAccepted,
    responses={404: {"description": "no such document in the corpus"}},
)
def delete_document(doc_id: str, request: Request) -> DocumentChangeAccepted:
    settings: Settings = request.app.state.settings
    try:
        removed = remove_document(settings.corpus_dir, doc_id)
    except DocumentNotFound as error:
        raise HTTPException(404, str(error)) from error
    jobs: JobRunner = request.app.state.jobs
    engines = request.app.state.engines
    job = jobs.submit(
        f"remove document {doc_id} from the index",
        lambda report: rebuild_and_swap(settings, engines, report),
    )
    return DocumentChangeAccepted(
        doc_id=doc_id, job_id=job.job_id, job_url=f"/api/jobs/{job.job_id}", source=removed.name
    )
