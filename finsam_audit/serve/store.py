"""The audits the page has made, kept in memory for their downloads and what-if.

Bounded: at most SIZE audits, each for SECONDS; the oldest goes first. Nothing is
written to disk, and everything is gone when the server stops. A key is random and
unguessable, so one audit's page does not lead to another's.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from finsam_audit.audit import AuditResult
from finsam_audit.model import Document, DocumentKind

SIZE = 20
SECONDS = 60 * 60


@dataclass(frozen=True)
class Audited:
    """One upload's audit, and the documents read for the what-if."""

    result: AuditResult  # unreadable files and documents that could not be audited among its documents
    documents: list[Document]

    @property
    def failure_messages(self) -> list[str]:
        """What could not be read or audited, each as the CLI says it ("FILE[:LINE]: message")."""
        return [document.error for document in self.result.errors() if document.error]

    @property
    def plans(self) -> list[Document]:
        """The plans a what-if can change: those with a budget per year."""
        return [document for document in self.documents if document.kind == DocumentKind.PLAN and document.years]


class Store:
    def __init__(self, size: int = SIZE, seconds: float = SECONDS, clock: Callable[[], float] = time.monotonic):
        self.size, self.seconds, self.clock = size, seconds, clock
        self._items: OrderedDict[str, tuple[float, Audited]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, audited: Audited) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._forget_expired()
            self._items[key] = (self.clock(), audited)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Audited | None:
        with self._lock:
            self._forget_expired()
            found = self._items.get(key)
        return found[1] if found else None

    def _forget_expired(self) -> None:
        limit = self.clock() - self.seconds
        while self._items and next(iter(self._items.values()))[0] < limit:
            self._items.popitem(last=False)
