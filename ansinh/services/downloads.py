"""A dossier's file sent back as a download, by the API and the pages alike.

Files come from applicants, so they are never shown inside the site's own origin: always an
attachment, its type not to be guessed, sandboxed, and not cached.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from fastapi.responses import Response

from ansinh.services.dossier_schemas import DocumentMeta


def attachment(filename: str) -> str:
    """A Content-Disposition value that downloads ``filename`` and cannot break out of the header.

    The plain ``filename`` is ASCII with quotes, backslashes and controls removed (diacritics
    folded: ``hồ sơ.pdf`` → ``ho so.pdf``); ``filename*`` carries the name as written,
    percent-encoded (RFC 6266, RFC 8187).
    """
    name = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C") or "document"
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in folded if ch.isascii() and ch not in '"\\;' and unicodedata.category(ch) != "Mn")
    return f"attachment; filename=\"{ascii_name.strip() or 'document'}\"; filename*=UTF-8''{quote(name, safe='')}"


def document_response(meta: DocumentMeta, content: bytes) -> Response:
    """The file as a download, with the headers that keep it out of the site's pages."""
    return Response(content=content, media_type=meta.media_type, headers={
        "Content-Disposition": attachment(meta.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    })
