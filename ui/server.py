"""The HTTP side of the app: bind address, the originals route, the upload gate and the security headers.

Gradio always exposes ``POST /gradio_api/upload``; the app itself takes no
files, so uploads are refused unless the operator turns them on
(``python app.py --salli-lataukset``), and then only up to a size limit.

Every response gets a Content-Security-Policy that Gradio 6 works with (its
page and our ``PAGE_HEAD`` use inline scripts and styles, so those stay
allowed; nothing may load from another origin, no plugins, no foreign base
URL or form target, no framing by other sites), ``nosniff`` and
``Referrer-Policy: no-referrer``. A response that sets its own CSP (the
originals route: ``sandbox``) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HOST = "127.0.0.1"
DEFAULT_MAX_UPLOAD_MB = 10
CSP = "; ".join((
    "default-src 'self'",
    # Gradio 6 compiles gr.HTML's templates with new Function(): without 'unsafe-eval' no HTML block renders.
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
    "form-action 'self'",
))
SECURITY_HEADERS = (("content-security-policy", CSP), ("x-content-type-options", "nosniff"),
                    ("referrer-policy", "no-referrer"))


@dataclass(frozen=True)
class ServerOptions:
    """What the operator chose on the command line."""

    allow_uploads: bool = False
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB


class UploadGate:
    """ASGI middleware: 403 for Gradio's upload endpoint while uploads are off."""

    def __init__(self, app: Any, allowed: bool = False) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if (not self.allowed and scope.get("type") == "http" and scope.get("method") == "POST"
                and scope.get("path", "").rstrip("/").endswith("/upload")):
            body = "Tiedostojen lataaminen palvelimelle on poistettu käytöstä.".encode()
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: the app's CSP, nosniff and no-referrer on every HTTP response that lacks them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def app_kwargs(original_route: object, options: ServerOptions) -> dict[str, Any]:
    """FastAPI constructor arguments: our route first; security headers and the upload gate around everything."""
    from starlette.middleware import Middleware

    return {"routes": [original_route], "middleware": [Middleware(SecurityHeaders),
                                                        Middleware(UploadGate, allowed=options.allow_uploads)]}


def safety_options(options: ServerOptions) -> dict[str, Any]:
    """``Blocks.launch`` keywords that keep the app local and closed (explicit, not Gradio's defaults)."""
    return {"server_name": HOST, "share": False, "mcp_server": False, "allowed_paths": [],
            "max_file_size": f"{options.max_upload_mb if options.allow_uploads else 1}mb",
            "show_error": False}
