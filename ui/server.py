"""The HTTP side of the app: bind address, the originals route and the upload gate.

Gradio always exposes ``POST /gradio_api/upload``; the app itself takes no
files, so uploads are refused unless the operator turns them on
(``python app.py --salli-lataukset``), and then only up to a size limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HOST = "127.0.0.1"
DEFAULT_MAX_UPLOAD_MB = 10


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


def app_kwargs(original_route: object, options: ServerOptions) -> dict[str, Any]:
    """FastAPI constructor arguments: our route first, the upload gate around everything."""
    from starlette.middleware import Middleware

    return {"routes": [original_route], "middleware": [Middleware(UploadGate, allowed=options.allow_uploads)]}


def safety_options(options: ServerOptions) -> dict[str, Any]:
    """``Blocks.launch`` keywords that keep the app local and closed (explicit, not Gradio's defaults)."""
    return {"server_name": HOST, "share": False, "mcp_server": False, "allowed_paths": [],
            "max_file_size": f"{options.max_upload_mb if options.allow_uploads else 1}mb",
            "show_error": False}
