"""Serving an item's original file, and only files the store ingested.

The route takes an item id, never a path: the path comes from the stored item,
must be a file the manifest records, and must resolve (symlinks followed) to a
regular file inside a corpus root. Roots are the top-most folders of the
manifest's file keys, so the links work for any ingested corpus. Nothing is
registered with Gradio's static-file machinery.

PDF is served inline (the link adds ``#page=N``). Everything else is served as
``text/plain`` (TXT, HTML: the browser shows the source, never renders it) or as
a download (DOCX and anything unknown), with ``nosniff`` and a sandboxing CSP.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

logger = logging.getLogger(__name__)

ROUTE = "alkuperainen"  # /alkuperainen/{item_id}
_TEXT_SUFFIXES = {".txt", ".html", ".htm"}
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SANDBOX = "default-src 'none'; sandbox"


def corpus_roots(keys: Iterable[str]) -> list[Path]:
    """The top-most folders holding the manifest's files (absolute, not resolved)."""
    parents = sorted({Path(os.path.abspath(k)).parent for k in keys}, key=lambda p: len(p.parts))
    roots: list[Path] = []
    for p in parents:
        if not any(p == r or p.is_relative_to(r) for r in roots):
            roots.append(p)
    return roots


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    for r in roots:
        try:
            real_root = r.resolve(strict=True)
        except OSError:
            continue
        if path == real_root or path.is_relative_to(real_root):
            return True
    return False


def resolve_original(source: str, manifest_keys: Iterable[str]) -> Path | None:
    """The real path of ``source`` if it is safe to serve, else ``None``.

    Safe: ``source`` is a file the manifest records, and its fully resolved path
    (every symlink followed) is a regular file inside one of the corpus roots.
    """
    keys = set(manifest_keys)
    if not source or source not in keys:
        return None
    try:
        real = Path(source).resolve(strict=True)
    except (OSError, RuntimeError):  # missing file, symlink loop
        return None
    if not real.is_file() or not _inside(real, corpus_roots(keys)):
        logger.warning("refusing to serve %s: resolves outside the corpus (%s)", source, real)
        return None
    return real


@dataclass(frozen=True)
class ServeAs:
    """How one file goes to the browser."""

    media_type: str
    disposition: str  # "inline" or "attachment"
    sandbox: bool


def serve_as(path: Path) -> ServeAs:
    """PDF inline; TXT/HTML as plain text; DOCX and anything else as a download."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return ServeAs("application/pdf", "inline", False)
    if suffix in _TEXT_SUFFIXES:
        return ServeAs("text/plain; charset=utf-8", "inline", True)
    if suffix == ".docx":
        return ServeAs(_DOCX, "attachment", True)
    return ServeAs("application/octet-stream", "attachment", True)


def original_url(item_id: str, source: str, page: int | None = None) -> str:
    """Relative link to the item's original (relative, so the app works under a proxy root)."""
    url = f"{ROUTE}/{quote(item_id, safe='')}"
    if page and source.lower().endswith(".pdf"):
        url += f"#page={int(page)}"
    return url


def make_route(lookup: Callable[[str], tuple[str, list[str]] | None]) -> object:
    """A Starlette route serving ``/alkuperainen/{item_id}``.

    Args:
        lookup: item id → ``(item source, manifest file keys)``, or None for an unknown item.
    """
    from starlette.responses import FileResponse, PlainTextResponse
    from starlette.routing import Route

    async def original(request):  # type: ignore[no-untyped-def]
        item_id = request.path_params["item_id"]
        found = lookup(item_id)
        if found is None:
            return PlainTextResponse("Pykälää ei löytynyt hakemistosta.", status_code=404)
        path = resolve_original(*found)
        if path is None:
            return PlainTextResponse("Alkuperäistä tiedostoa ei voi näyttää: se ei ole hakemistoon "
                                     "luetussa aineistokansiossa.", status_code=404)
        how = serve_as(path)
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                   "Cache-Control": "no-store"}
        if how.sandbox:
            headers["Content-Security-Policy"] = _SANDBOX
        name = Path(found[0]).name
        headers["Content-Disposition"] = f"{how.disposition}; filename*=UTF-8''{quote(name)}"
        return FileResponse(path, media_type=how.media_type, headers=headers)

    return Route(f"/{ROUTE}/{{item_id}}", original, methods=["GET", "HEAD"])
