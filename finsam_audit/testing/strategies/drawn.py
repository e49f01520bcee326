"""Plans drawn once, outside a test: for benchmarks and tests that need many plans at once."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import NonInteractiveExampleWarning

from finsam_audit.model import Document
from finsam_audit.testing.strategies.plans import plans


def drawn_plans(count: int) -> list[Document]:
    """`count` plans drawn by plans(), derandomized: the same every run (hypothesis may give
    fewer distinct plans than asked; they are then repeated in turn)."""
    drawn: list[Document] = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(plans())
    def collect(plan: Document) -> None:
        drawn.append(plan)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        collect()
    return [drawn[index % len(drawn)] for index in range(count)]
