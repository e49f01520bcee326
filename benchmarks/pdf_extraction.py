"""Measure PDF text extraction libraries on PDFs laid out like the real plans.

    pip install -e '.[test,bench]'     # the candidates: pypdf, pdfminer.six, pdfplumber, pypdfium2
    python benchmarks/pdf_extraction.py [--out benchmarks/pdf_extraction.md] [--runs 3]

Each plan text (fixtures/texts/*.txt and, when present beside the repository,
../shared/seeds/*.txt) is drawn as a PDF the way the plans are published (see
tests/pdf_maker.py: an embedded TrueType font, the budget table with labels at the left
and right-aligned numbers per year column, each cell placed on its own, negative costs,
decimal commas, å/ä/ö, a page break forced inside every budget table), in three styles
of PDF producer (lines, words, columns: see render()). Every candidate library extracts
the text (pages joined one after the other, the same for all), and the project's parser
reads it. Measured per library and PDF:

- chars: character similarity of the extracted text to the text drawn in the PDF
  (difflib ratio, whitespace runs collapsed, blank lines ignored);
- lines: the same on whole lines (difflib ratio of the lists of non-blank lines);
- lines and paragraph breaks: the same with each run of blank lines kept as one empty line
  (the parser reads paragraphs: a goal, an insats, ends at a blank line);
- table rows whole: share of the budget table rows (label and its numbers) that come out
  as one line;
- budget lines / amounts / insatser: how many of what the parser reads from the original
  text it also reads from the extracted text (line = label and kind; amount = label,
  year and kronor; insats = name);
- expected fields: the hand-verified expectations (fixtures/*/NAME.expected.yaml, line
  numbers left out since a PDF's lines are not the text file's) that the parse of the
  extracted text meets, against what the parse of the original text meets;
- same findings: whether the audit of the extracted text gives the same findings (rule,
  year, subject) as the audit of the original text;
- ms/PDF: median wall time of `--runs` extractions of the PDF (the parser not included).

Besides the libraries' own modes, two reference rows: the text drawn in the PDF read as it
is (a perfect extraction), and pdftotext (poppler; GPL, a separate program, not a
candidate). The project's reader (finsam_audit.read.pdf) is measured too.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from collections.abc import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from finsam_audit.common.errors import InputError  # noqa: E402
from finsam_audit.read import parse_text  # noqa: E402
from tests.fixture_compare import compare  # noqa: E402
from tests.pdf_maker import STYLES, layout_pages, reference_text, write_text_pdf  # noqa: E402

TEXTS = REPO / "fixtures" / "texts"
SEEDS = REPO.parent / "shared" / "seeds"
EXPECTED_DIRS = (REPO / "fixtures" / "texts", REPO / "fixtures" / "seeds")


# ----------------------------------------------------------------------------- extractors


def _join(pages: list[str]) -> str:
    """Pages one after the other, as the project's reader joins them (no form feed: the
    parser takes a line holding one for page furniture)."""
    return "".join(page.replace("\r\n", "\n").rstrip("\n") + "\n" for page in pages)


_DRAWN: dict[Path, str] = {}


def _drawn(path: Path) -> str:
    return _DRAWN[path]


def _pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return _join([page.extract_text() for page in PdfReader(path).pages])


def _pypdf_layout(path: Path) -> str:
    from pypdf import PdfReader

    return _join([page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages])


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(path)


def _pdfminer_wide(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    # Characters up to 50 character widths apart stay on one line: a table row's cells.
    return extract_text(path, laparams=LAParams(char_margin=50.0))


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return _join([page.extract_text() or "" for page in pdf.pages])


def _pdfplumber_layout(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return _join([page.extract_text(layout=True) or "" for page in pdf.pages])


def _pypdfium2(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return _join(pages)
    finally:
        pdf.close()


def _project(path: Path) -> str:
    from finsam_audit.read.pdf import pdf_text

    return pdf_text(path)[0]


def _pdftotext(*options: str) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        out = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
                             check=True, capture_output=True, text=True).stdout
        return _join(out.rstrip("\f").split("\f"))

    return run


@dataclass
class Extractor:
    name: str
    package: str  # distribution whose version and licence are reported
    licence: str
    extract: Callable[[Path], str]
    candidate: bool = True


EXTRACTORS = [
    Extractor("(the text drawn in the PDF: an ideal extraction)", "", "", _drawn, False),
    Extractor("pypdf", "pypdf", "BSD-3-Clause", _pypdf),
    Extractor("pypdf (layout mode)", "pypdf", "BSD-3-Clause", _pypdf_layout),
    Extractor("pdfminer.six", "pdfminer.six", "MIT", _pdfminer),
    Extractor("pdfminer.six (char_margin=50)", "pdfminer.six", "MIT", _pdfminer_wide),
    Extractor("pdfplumber", "pdfplumber", "MIT", _pdfplumber),
    Extractor("pdfplumber (layout=True)", "pdfplumber", "MIT", _pdfplumber_layout),
    Extractor("pypdfium2", "pypdfium2", "Apache-2.0 / BSD-3-Clause (PDFium)", _pypdfium2),
    Extractor("finsam_audit.read.pdf (the project's reader)", "pypdfium2", "as the library it uses", _project, False),
    Extractor("pdftotext -layout (reference only)", "poppler-utils", "GPL-2.0 (program, not a library)",
              _pdftotext("-layout"), False),
    Extractor("pdftotext (reference only)", "poppler-utils", "GPL-2.0 (program, not a library)", _pdftotext(), False),
]


# ----------------------------------------------------------------------------- measures


def _normal_lines(text: str) -> list[str]:
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.replace("\f", "\n").split("\n"))
    return [line for line in lines if line]


def char_similarity(reference: list[str], extracted: list[str]) -> float:
    """difflib's ratio of the two texts, computed line block by line block (fast on long texts)."""
    matched = 0
    lines = difflib.SequenceMatcher(None, reference, extracted, autojunk=False)
    for tag, a1, a2, b1, b2 in lines.get_opcodes():
        if tag == "equal":
            matched += sum(len(line) + 1 for line in reference[a1:a2])
        elif tag == "replace":
            left, right = "\n".join(reference[a1:a2]) + "\n", "\n".join(extracted[b1:b2]) + "\n"
            blocks = difflib.SequenceMatcher(None, left, right, autojunk=False).get_matching_blocks()
            matched += sum(block.size for block in blocks)
    total = sum(len(line) + 1 for line in reference) + sum(len(line) + 1 for line in extracted)
    return 2 * matched / total if total else 1.0


def line_similarity(reference: list[str], extracted: list[str]) -> float:
    return difflib.SequenceMatcher(None, reference, extracted, autojunk=False).ratio()


def _paragraph_lines(text: str) -> list[str]:
    """Lines with paragraph breaks: a run of blank lines (or a page break) is one empty line."""
    out: list[str] = []
    for line in text.replace("\f", "\n\n").split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        if line or (out and out[-1]):
            out.append(line)
    return out[:-1] if out and not out[-1] else out


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lstrip("•-–− ").casefold()


@dataclass
class Reading:
    lines: Counter = field(default_factory=Counter)
    amounts: Counter = field(default_factory=Counter)
    insatser: Counter = field(default_factory=Counter)
    findings: Counter | None = None
    result: object = None


CRASHES: list[str] = []  # the parser or the audit raising on an extracted text (a bug)


def read(text: str, source: str) -> Reading:
    try:
        result = parse_text(text, source)
        reading = Reading(result=result)
        for document in result.documents:
            for line in document.budget_lines:
                reading.lines[(_key(line.label), line.kind.value)] += 1
                for year, amount in line.amounts.items():
                    reading.amounts[(_key(line.label), year, amount.kronor)] += 1
            for insats in document.insatser:
                reading.insatser[_key(insats.name)] += 1
        reading.findings = _findings(result)
        return reading
    except InputError:
        return Reading(findings=Counter())
    except Exception as error:  # a crash on an extraction is a result too, and a bug to report
        CRASHES.append(f"{source}: {type(error).__name__}: {error}")
        print(f"the parser or audit failed on {source}: {type(error).__name__}: {error}", file=sys.stderr)
        return Reading(findings=Counter())


def _findings(result) -> Counter | None:  # type: ignore[no-untyped-def]
    try:
        from finsam_audit.audit.run import audit_documents
    except ImportError:
        return None
    audited = audit_documents(result.documents)
    return Counter((finding.rule, finding.year, _key(finding.subject)) for finding in audited.findings())


def _without_lines(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {key: _without_lines(item) for key, item in value.items() if key not in ("line", "first_line")}
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


def expected_for(name: str) -> dict | None:
    for directory in EXPECTED_DIRS:
        path = directory / f"{name}.expected.yaml"
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                return _without_lines(yaml.safe_load(handle))
    return None


def fields_met(expected: dict | None, reading: Reading) -> tuple[int, int] | None:
    if expected is None:
        return None
    if reading.result is None:
        checked, _ = compare(copy.deepcopy(expected), _empty_result())
        return 0, checked
    checked, mismatches = compare(copy.deepcopy(expected), reading.result)
    return checked - len(mismatches), checked


def _empty_result():  # type: ignore[no-untyped-def]
    from finsam_audit.model import ParseResult

    return ParseResult(source="", documents=[], warnings=[])


def _share(got: Counter, want: Counter) -> tuple[int, int]:
    return sum((got & want).values()), sum(want.values())


# ----------------------------------------------------------------------------- the run


@dataclass
class Sample:
    name: str
    style: str
    text: str
    pdf: Path
    pages: int
    reference: list[str]
    paragraphs: list[str]
    table_rows: list[str]
    baseline: Reading
    expected: dict | None
    baseline_fields: tuple[int, int] | None


@dataclass
class Row:
    sample: Sample
    ms: float
    chars: float
    lines: float
    paragraphs: float
    rows: tuple[int, int]
    budget: tuple[int, int]
    amounts: tuple[int, int]
    insatser: tuple[int, int]
    fields: tuple[int, int] | None
    findings_same: bool | None
    error: str = ""


def make_samples(directory: Path, styles: tuple[str, ...] = STYLES) -> list[Sample]:
    texts = sorted(TEXTS.glob("*.txt")) + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
    samples = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        pages = layout_pages(text)
        drawn = reference_text(pages)
        table_rows = [
            re.sub(r"\s+", " ", " ".join(cell.text for cell in row)).strip()
            for page in pages
            for row in page.rows
            if any(cell.right for cell in row) and len(row) >= 2
        ]
        baseline = read(text, path.name)
        expected = expected_for(path.stem)
        for style in styles:
            pdf = directory / f"{path.stem}.{style}.pdf"
            write_text_pdf(pages, pdf, style=style)
            _DRAWN[pdf] = drawn
            samples.append(
                Sample(path.stem, style, text, pdf, len(pages), _normal_lines(drawn), _paragraph_lines(drawn),
                       table_rows, baseline, expected, fields_met(expected, baseline))
            )
    order = {style: index for index, style in enumerate(styles)}
    return sorted(samples, key=lambda sample: order[sample.style])  # stable: texts in order per style


def measure(extractor: Extractor, sample: Sample, runs: int) -> Row:
    times = []
    text = ""
    error = ""
    for _ in range(runs):
        start = time.perf_counter()
        try:
            text = extractor.extract(sample.pdf)
        except Exception as exc:  # a library failing on a PDF is a result too
            error = f"{type(exc).__name__}: {exc}"
            text = ""
        times.append((time.perf_counter() - start) * 1000)
    extracted = _normal_lines(text)
    reading = read(text, f"{sample.name} ({sample.style}, {extractor.name})") if text.strip() else Reading(findings=Counter())
    base = sample.baseline
    found_lines = set(extracted)
    findings_same = None
    if base.findings is not None and reading.findings is not None:
        findings_same = base.findings == reading.findings
    return Row(
        sample=sample,
        ms=statistics.median(times),
        chars=char_similarity(sample.reference, extracted),
        lines=line_similarity(sample.reference, extracted),
        paragraphs=line_similarity(sample.paragraphs, _paragraph_lines(text)),
        rows=(sum(row in found_lines for row in sample.table_rows), len(sample.table_rows)),
        budget=_share(reading.lines, base.lines),
        amounts=_share(reading.amounts, base.amounts),
        insatser=_share(reading.insatser, base.insatser),
        fields=fields_met(sample.expected, reading),
        findings_same=findings_same,
        error=error,
    )


def _version(package: str) -> str:
    if not package:
        return ""
    if package == "poppler-utils":
        try:
            out = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.split("\n")[0]
            return out.replace("pdftotext version ", "")
        except OSError:
            return "?"
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _pair(value: tuple[int, int] | None) -> str:
    return "–" if value is None else f"{value[0]}/{value[1]}"


def _total(rows: list[Row], attr: str) -> tuple[int, int] | None:
    values = [getattr(row, attr) for row in rows if getattr(row, attr) is not None]
    return (sum(v[0] for v in values), sum(v[1] for v in values)) if values else None


def _pct(pair: tuple[int, int] | None) -> str:
    return "–" if pair is None or not pair[1] else f"{100 * pair[0] / pair[1]:.1f} %"


def _summary(results: dict[str, list[Row]], style: str | None) -> list[str]:
    out = [
        "| library | version | licence | chars | lines | lines and paragraph breaks | table rows whole "
        "| budget lines | amounts | insatser | expected fields | same findings | ms/PDF (mean) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for extractor in EXTRACTORS:
        rows = [row for row in results.get(extractor.name, []) if style is None or row.sample.style == style]
        if not rows:
            continue
        same = [row.findings_same for row in rows if row.findings_same is not None]
        out.append(
            f"| {extractor.name} | {_version(extractor.package)} | {extractor.licence} "
            f"| {statistics.mean(r.chars for r in rows):.3f} | {statistics.mean(r.lines for r in rows):.3f} "
            f"| {statistics.mean(r.paragraphs for r in rows):.3f} "
            f"| {_pct(_total(rows, 'rows'))} | {_pct(_total(rows, 'budget'))} | {_pct(_total(rows, 'amounts'))} "
            f"| {_pct(_total(rows, 'insatser'))} | {_pct(_total(rows, 'fields'))} "
            f"| {f'{sum(same)}/{len(same)}' if same else '–'} | {statistics.mean(r.ms for r in rows):.0f} |"
        )
    return out


def render(samples: list[Sample], results: dict[str, list[Row]], runs: int) -> str:
    styles = list(dict.fromkeys(sample.style for sample in samples))
    texts = [sample for sample in samples if sample.style == styles[0]]
    out = [
        "# PDF text extraction: measured quality per library",
        "",
        "Made by `python benchmarks/pdf_extraction.py` (the method is in its docstring). "
        f"{len(texts)} plan texts (the fixture texts and the seed plans), each drawn as a PDF "
        f"({sum(s.pages for s in texts)} pages in all) the way the real plans are laid out: embedded "
        "TrueType font, the budget table with the label at the left and right-aligned numbers per "
        "year column (each cell placed alone), negative costs, decimal commas, å/ä/ö, a page break "
        "inside every budget table. Each text is drawn in three styles of PDF producer:",
        "",
        "- **lines**: each line (each table cell) one string, as Word writes it;",
        "- **words**: every word placed on its own with no space characters: the extractor must "
        "find word gaps from positions (TeX, InDesign, many print drivers);",
        "- **columns**: the table's cells drawn column by column after the page's other text, so "
        "the file's order is not the reading order.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"ms/PDF is the median of {runs} extractions of a PDF (parsing not included), averaged over the PDFs.",
        "",
        "Baseline, the parser on the original texts: "
        f"{sum(sum(s.baseline.lines.values()) for s in texts)} budget lines, "
        f"{sum(sum(s.baseline.amounts.values()) for s in texts)} amounts, "
        f"{sum(sum(s.baseline.insatser.values()) for s in texts)} insatser; expected fields met "
        f"{_pair(_total_baseline(texts))} ({_pct(_total_baseline(texts))}). "
        "The first row of each table is the text drawn in the PDF read as it is: what a perfect "
        "extraction would give (the differences from the original texts are line wraps of "
        "long lines and the page breaks).",
        "",
        "chars, lines and paragraph breaks are means over the PDFs; the other shares are totals "
        "over all PDFs.",
        "",
        "## Choice",
        "",
        "**pypdfium2** (PDFium; Apache-2.0 / BSD-3-Clause; no Python dependencies), read through "
        "finsam_audit.read.pdf, which rebuilds layout text from PDFium's characters and their "
        "positions. No library's own text mode reads every producer style: pypdf's layout mode "
        "loses word gaps when the PDF has no space characters (style words), pdfplumber joins "
        "words there and pads pages with blank lines (layout=True), pdfminer.six splits the "
        "table's cells from their labels, and PDFium's own text follows the file's order "
        "(style columns). PDFium gives exact character boxes, font sizes and the word gaps "
        "it infers, fastest of all (8 ms a PDF against 80–700 ms), and renders pages for OCR "
        "without another tool; on those positions the project's reader matches pdftotext "
        "-layout (100 % of budget lines, amounts, insatser and hand-verified fields in every "
        "style) at about 100 ms a PDF. PyMuPDF (AGPL) and pdftotext (GPL) were not candidates.",
        "",
        "## Summary, all styles",
        "",
        *_summary(results, None),
        "",
    ]
    for style in styles:
        out += [f"## Summary, style {style}", "", *_summary(results, style), ""]
    for extractor in EXTRACTORS:
        rows = results.get(extractor.name)
        if not rows:
            continue
        out += [
            f"## {extractor.name}",
            "",
            "| PDF | style | pages | chars | lines | lines and paragraph breaks | table rows whole | budget lines "
            "| amounts | insatser | expected fields (PDF / text) | same findings | ms |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            s = row.sample
            fields = "–" if row.fields is None else f"{_pair(row.fields)} / {_pair(s.baseline_fields)}"
            same = {None: "–", True: "yes", False: "**no**"}[row.findings_same]
            out.append(
                f"| {s.name} | {s.style} | {s.pages} | {row.chars:.3f} | {row.lines:.3f} | {row.paragraphs:.3f} "
                f"| {_pair(row.rows)} | {_pair(row.budget)} | {_pair(row.amounts)} | {_pair(row.insatser)} "
                f"| {fields} | {same} | {row.ms:.0f} |" + (f" error: {row.error}" if row.error else "")
            )
        out.append("")
    return "\n".join(out)


def _total_baseline(samples: list[Sample]) -> tuple[int, int] | None:
    values = [s.baseline_fields for s in samples if s.baseline_fields is not None]
    return (sum(v[0] for v in values), sum(v[1] for v in values)) if values else None


def measure_ocr(directory: Path) -> list[Row]:
    """Each fixture text as a scan (page images only, 300 dpi), read by the project's reader
    with Tesseract; one run each (OCR takes seconds a page)."""
    from finsam_audit.read.pdf import _tesseract, _tesseract_missing

    if _tesseract_missing(_tesseract()) is not None:
        print("skipped the scans: Tesseract with Swedish is not installed", file=sys.stderr)
        return []
    from tests.pdf_maker import write_scanned_pdf

    reader = next(extractor for extractor in EXTRACTORS if extractor.extract is _project)
    rows = []
    for path in sorted(TEXTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pages = layout_pages(text)
        pdf = directory / f"{path.stem}.scan.pdf"
        write_scanned_pdf(pages, pdf, dpi=300)
        drawn = reference_text(pages)
        table_rows = [
            re.sub(r"\s+", " ", " ".join(cell.text for cell in row)).strip()
            for page in pages
            for row in page.rows
            if any(cell.right for cell in row) and len(row) >= 2
        ]
        expected = expected_for(path.stem)
        baseline = read(text, path.name)
        sample = Sample(path.stem, "scan", text, pdf, len(pages), _normal_lines(drawn), _paragraph_lines(drawn),
                        table_rows, baseline, expected, fields_met(expected, baseline))
        rows.append(measure(reader, sample, 1))
        print(f"read the scan of {path.stem}", file=sys.stderr)
    return rows


def render_ocr(rows: list[Row]) -> str:
    if not rows:
        return ""
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    pages = sum(row.sample.pages for row in rows)
    out = [
        "## Scans read with OCR",
        "",
        f"Each fixture text as a scan: page images only (Pillow, 300 dpi, JPEG), read by "
        f"finsam_audit.read.pdf: PDFium renders each page at 300 dpi, {version} reads it "
        "(`-l swe --psm 6 -c preserve_interword_spaces=1`). One run each; "
        f"{pages} pages in {sum(row.ms for row in rows) / 1000:.0f} s, "
        f"{sum(row.ms for row in rows) / pages / 1000:.1f} s a page.",
        "",
        "| PDF | pages | chars | lines | table rows whole | budget lines | amounts | insatser "
        "| expected fields (PDF / text) | same findings | s/PDF |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        s = row.sample
        fields = "–" if row.fields is None else f"{_pair(row.fields)} / {_pair(s.baseline_fields)}"
        same = {None: "–", True: "yes", False: "**no**"}[row.findings_same]
        out.append(
            f"| {s.name} | {s.pages} | {row.chars:.3f} | {row.lines:.3f} | {_pair(row.rows)} | {_pair(row.budget)} "
            f"| {_pair(row.amounts)} | {_pair(row.insatser)} | {fields} | {same} | {row.ms / 1000:.1f} |"
            + (f" error: {row.error}" if row.error else "")
        )
    out += [
        "",
        f"Totals: budget lines {_pct(_total(rows, 'budget'))}, amounts {_pct(_total(rows, 'amounts'))}, "
        f"insatser {_pct(_total(rows, 'insatser'))}, expected fields {_pct(_total(rows, 'fields'))}.",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "pdf_extraction.md")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated PDFs in this folder")
    parser.add_argument("--no-ocr", action="store_true", help="leave out the scans read with OCR")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        samples = make_samples(directory)
        results: dict[str, list[Row]] = {}
        for extractor in EXTRACTORS:
            if extractor.package == "poppler-utils" and not shutil.which("pdftotext"):
                continue
            try:
                extractor.extract(samples[0].pdf)
            except ImportError as error:
                print(f"skipped {extractor.name}: {error}", file=sys.stderr)
                continue
            except Exception:
                pass
            results[extractor.name] = [measure(extractor, sample, args.runs) for sample in samples]
            print(f"measured {extractor.name}", file=sys.stderr)
        report = render(samples, results, args.runs)
        if not args.no_ocr:
            report += "\n" + render_ocr(measure_ocr(directory))
        if CRASHES:
            report += "\n## The parser or audit raised on an extracted text\n\nCounted as nothing read; each is a bug.\n\n"
            report += "".join(f"- {crash}\n" for crash in CRASHES)
    args.out.write_text(report + "\n", encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
