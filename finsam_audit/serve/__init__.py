"""Serve: the audit as a local web page in Swedish, for users who do not use a terminal.

Files in through the browser (read as `audit` reads them), the report (report/html.py)
in the page, downloads in every report format, and the what-if of review/whatif.py.
Only on 127.0.0.1; uploads are checked for type and size, read in a private temporary
folder removed after the request, never logged; the audits are kept in a bounded
in-memory store for their downloads. Public: create_app (the ASGI app), serve (run it).
"""

from __future__ import annotations

from finsam_audit.serve.app import create_app
from finsam_audit.serve.server import serve

__all__ = ["create_app", "serve"]
