"""A plan's first pages told by its table of contents: the contents list sections, with their
pages, that the text does not reach. Tested on the real seeds beside the checkout, cut after
their contents and first pages, and whole (never an excerpt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finsam_audit.audit import audit_parse_results
from finsam_audit.common.text import fold
from finsam_audit.model import Document, DocumentKind
from finsam_audit.read import parse_text
from finsam_audit.read.layout import read_columns
from finsam_audit.read.lines import excerpt_of, split_lines
from tests.paths import FIXTURES, SEEDS

SEED_TEXTS = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
# "4. Mål för 2027 ........ 6": a title, a dotted leader, its page.
_LISTED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?P<title>.*?[^\s.…])\s*(?:\.{4,}|…{2,})\s*(?P<page>\d{1,3})\s*$")


def _listed(text: str) -> list[tuple[int, str, int]]:
    """(line index, folded title, page) of each entry of the text's table of contents."""
    return [(index, fold(match.group("title")), int(match.group("page")))
            for index, line in enumerate(text.split("\n")) if (match := _LISTED.match(line))]


def _heading_index(lines: list[str], title: str, after: int) -> int | None:
    """The first line after the contents that starts with the section's title (its numbering aside)."""
    for index in range(after + 1, len(lines)):
        if re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+", "", fold(lines[index])).strip().startswith(title):
            return index
    return None


def _first_pages(text: str) -> tuple[str, int, int] | None:
    """The text cut before the heading of the first section its contents list on page 5 or
    later (the pages before it kept whole), with the page of that section and the contents' last page."""
    entries = _listed(text)
    if not entries:
        return None
    lines = text.split("\n")
    end_of_contents = entries[-1][0]
    for _, title, page in entries:
        heading = _heading_index(lines, title, end_of_contents) if page >= 5 else None
        if heading is not None:
            return "\n".join(lines[:heading]), page, max(page for _, _, page in entries)
    return None


CUTTABLE = [path for path in SEED_TEXTS if _first_pages(path.read_text(encoding="utf-8"))]


def _plan(text: str) -> Document:
    return next(document for document in parse_text(text, "plan.txt").documents if document.kind == DocumentKind.PLAN)


def test_seeds_with_a_table_of_contents_are_there_to_cut() -> None:
    if not SEED_TEXTS:
        pytest.skip(f"the real seeds are not beside the checkout ({SEEDS})")
    assert len(CUTTABLE) >= 2, [path.name for path in SEED_TEXTS]


@pytest.mark.parametrize("path", CUTTABLE, ids=lambda path: path.stem)
def test_a_seed_cut_after_its_contents_and_first_pages_is_an_excerpt(path: Path) -> None:
    cut = _first_pages(path.read_text(encoding="utf-8"))
    assert cut is not None
    text, first_missing_page, last_page = cut
    excerpt = _plan(text).excerpt
    assert excerpt is not None, "the contents list sections the text lacks"
    assert excerpt.pages_total == last_page
    assert excerpt.pages_read < first_missing_page


@pytest.mark.parametrize("path", CUTTABLE, ids=lambda path: path.stem)
def test_the_first_pages_cannot_be_judged_on_goals_and_eget_kapital_they_do_not_reach(path: Path) -> None:
    cut = _first_pages(path.read_text(encoding="utf-8"))
    assert cut is not None
    result = audit_parse_results([parse_text(cut[0], path.name)])
    said = {finding.rule: finding.assessment for finding in result.findings() if finding.rule in {"FA107", "FA203"}}
    assert said and all(text.startswith("Kan ej bedömas") for text in said.values()), said


@pytest.mark.parametrize(
    "path", SEED_TEXTS + sorted((FIXTURES / "texts").glob("*.txt")), ids=lambda path: path.stem
)
def test_a_whole_plans_contents_make_it_no_excerpt(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = read_columns(split_lines(text))
    by_footers = excerpt_of(lines.items)  # a fixture of a plan's first pages says so in its footers
    assert [document.excerpt for document in parse_text(text, path.name).documents][:1] == [by_footers]
