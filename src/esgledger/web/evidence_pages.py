"""Evidence on the web: attach a file to a value (entry form) or an import, remove it,
download it, and the list of all evidence a user may see (the auditor's view).

The rules are :mod:`esgledger.evidence.attach`'s: a reporter attaches and reads only for its
own entities, an auditor reads all; files are judged by content; a download is re-hashed.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from esgledger.api.deps import CurrentUser, Writer
from esgledger.api.routers.evidence import disposition
from esgledger.errors import EsgError
from esgledger.evidence.attach import (
    Upload,
    attach_to_import,
    attach_to_value,
    detach,
    open_evidence,
)
from esgledger.evidence.links import EvidenceLink, entity_links
from esgledger.evidence.types import allowed_types
from esgledger.ledger.blobs import BlobStore, blob_store
from esgledger.web.access import PostedForm, commit_and_redirect, visible_entities
from esgledger.web.entry_pages import load_page, show
from esgledger.web.render import Env, PageEnv

router = APIRouter()


def store_of(env: PageEnv) -> BlobStore:
    return blob_store(env.request.app.state.settings)


def posted_upload(env: PageEnv, form: PostedForm) -> Upload | None:
    """The posted file with the server's limits, or None when none was chosen."""
    sent = form.get("evidence_file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return None
    settings = env.request.app.state.settings
    return Upload(
        name=sent.filename,
        data=sent.file.read(settings.file_max_bytes + 1),  # one byte over says "too large"
        allowed=allowed_types(settings.evidence_types),
        max_bytes=settings.file_max_bytes,
    )


@router.post("/entry/{entity}/{period}/evidence", response_class=HTMLResponse)
def attach_value(
    env: Env, principal: Writer, form: PostedForm, entity: str, period: str
) -> Response:
    """Attach the chosen file to one value of the form; problems shown on the form."""
    page = load_page(env, entity, period)
    indicator = str(form.get("indicator") or "")
    upload = posted_upload(env, form)
    try:
        if upload is None:
            raise EsgError(env.t("evidence.none_chosen"))
        attach_to_value(env.session, store_of(env), principal, upload, entity=entity,
                        period=str(page.period), indicator=indicator)  # fmt: skip
    except EsgError as exc:
        env.session.rollback()
        return show(env, page, topic=None, status_code=422, problems=[exc.render(env.lang)])
    url = f"/entry/{entity}/{page.period}?done=attached&n=1#v-{quote(indicator)}"
    return commit_and_redirect(env.session, url)


@router.post("/entry/{entity}/{period}/imports/{import_id}/evidence", response_class=HTMLResponse)
def attach_import(
    env: Env, principal: Writer, form: PostedForm, entity: str, period: str, import_id: int
) -> Response:
    """Attach the chosen file to an import (shown beside every value it wrote)."""
    page = load_page(env, entity, period)
    upload = posted_upload(env, form)
    try:
        if upload is None:
            raise EsgError(env.t("evidence.none_chosen"))
        attach_to_import(env.session, store_of(env), principal, upload, import_id=import_id)
    except EsgError as exc:
        env.session.rollback()
        return show(env, page, topic=None, status_code=422, problems=[exc.render(env.lang)],
                    import_id=import_id)  # fmt: skip
    url = f"/entry/{entity}/{page.period}?done=attached&n=1"
    return commit_and_redirect(env.session, url)


@router.post("/evidence/detach", response_class=HTMLResponse)
def remove(env: Env, principal: Writer, form: PostedForm) -> Response:
    """Retire a link with the reason given; back to the page the button was on."""
    detach(env.session, principal, str(form.get("key") or ""), str(form.get("reason") or ""))
    back = str(form.get("next") or "/evidence")
    return commit_and_redirect(env.session, back if back.startswith("/") else "/evidence")


@router.get("/evidence/file", response_model=None)
def download(env: Env, principal: CurrentUser, key: str) -> Response:
    """The file with its type and name, re-hashed on the way out (a changed file: error)."""
    link, info, data = open_evidence(env.session, store_of(env), principal, key)
    return Response(data, media_type=info.media_type, headers=disposition(link.name))


@router.get("/evidence", response_class=HTMLResponse)
def evidence_list(env: Env, entity: str | None = None, year: str | None = None) -> HTMLResponse:
    """Every file the user may see, by entity and year: the auditor's view of the evidence."""
    entities = visible_entities(env)
    codes = [e.code for e in entities if entity in (None, "", e.code)]
    links = [link for link in entity_links(env.session, codes) if _in_year(link, year)]
    years = sorted({link.period[:4] for link in links if link.period})
    return env.render(
        "evidence.html",
        json_href="/api/v1/evidence?" + urlencode({"entity": entity or "", "year": year or ""}),
        links=links,
        entities=entities,
        chosen={"entity": entity or "", "year": year or ""},
        years=years,
    )


def _in_year(link: EvidenceLink, year: str | None) -> bool:
    return not year or (link.period or "").startswith(year) or link.period is None
