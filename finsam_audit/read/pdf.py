"""A PDF's text, laid out as the parser reads it; scanned pages read with OCR when possible.

`pdf_text(path) -> (text, warnings)`. The text is layout text like `pdftotext -layout`
gives: one line per line of the page, the cells of a table row on one line with two or
more spaces between them (so "1 187,5  1 187,5" stays two numbers), and a blank line
where the page leaves a paragraph gap. Pages follow each other with no mark between
them (no form feed: the parser takes a line holding one for page furniture, and a table
or paragraph broken across pages must read on as one).

The library is pypdfium2 (PDFium, Apache-2.0/BSD-3-Clause), chosen by measurement:
benchmarks/pdf_extraction.md. PDFium gives every character with its position, font
size and whether it is a space PDFium inferred; the lines, word gaps, column gaps and
paragraph gaps are rebuilt here from those positions, so the text does not depend on
the order the PDF producer wrote it in. PDFium also renders pages for OCR.

A page without a text layer (a scan) is rendered at 300 dpi and read by Tesseract
(`tesseract` on PATH with the Swedish language data, Debian: tesseract-ocr,
tesseract-ocr-swe), with a warning that the text was OCR'd. Without Tesseract a PDF with
no text at all is an InputError, and scanned pages among text pages are left out with a
warning. A damaged, encrypted or non-PDF file is an InputError, never a traceback.

Line numbers in warnings and in the plan model are lines of this text, not of the PDF.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from finsam_audit.common.errors import InputError, os_error_text
from finsam_audit.model import ParseWarning
from finsam_audit.read.isolated import run_limited
from finsam_audit.read.source import read_bytes

NO_TEXT_LAYER = (  # the message for a scan when Tesseract is not installed
    "PDF:en saknar textlager (skannad?); installera tesseract-ocr och tesseract-ocr-swe "
    "för att läsa den med OCR"
)
OCR_DPI = 300
OCR_TIMEOUT = 300  # seconds for one page
OCR_LANGUAGE = "swe"

# Layout, in ems of the characters' font size.
_SAME_LINE = 0.5  # baselines closer than this are one line
_WORD_GAP = 0.15  # a gap this wide is a space even where the PDF has no space character
_COLUMN_GAP = 0.8  # a gap this wide separates table cells: two or more spaces
_SPACE_WIDTH = 0.5  # the width of one space of layout text, for indents and column gaps
MAX_PDF_BYTES = 256 * 2**20
MAX_PDF_PAGES = 1_000
PDF_MEMORY = 2 * 2**30  # address space the reading may add: PDFium's pages and OCR images
PDF_SECONDS = 600  # a scanned plan of 100 pages takes a few minutes with OCR
_MAX_SPACES = 40
_MAX_BLANK_LINES = 3
_CURVES_AS_TEXT = 100  # paths on a page without text: text drawn as curves, worth OCR
_UNMAPPED_SHARE = 0.3  # a page whose characters are mostly without Unicode is unreadable
_UNMAPPED_SAMPLE = 500  # characters of a page looked at for that

_LIGATURES = re.compile("[\ufb00-\ufb06]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def pdf_text(path: str | os.PathLike[str]) -> tuple[str, list[ParseWarning]]:
    """The text of the PDF at `path` and the warnings about reading it (OCR, skipped pages).

    Read in a child process with a memory and a time limit (read/isolated.py), so a
    decompression bomb is a clear message about this file, not the end of the run."""
    source = str(path)
    return run_limited(_pdf_text, path, source=source, memory=PDF_MEMORY, seconds=PDF_SECONDS, what="läsningen av PDF:en")


def _pdf_text(path: str | os.PathLike[str]) -> tuple[str, list[ParseWarning]]:
    source = str(path)
    data = read_bytes(Path(path), source, MAX_PDF_BYTES)
    if not data.strip():
        raise InputError(source, "filen är tom")
    if b"%PDF" not in data[:1024]:
        raise InputError(source, "filen är ingen PDF (den börjar inte med %PDF)")
    warnings: list[ParseWarning] = []
    if b"%%EOF" not in data[-2048:]:
        warnings.append(
            ParseWarning(message="PDF:en verkar avkortad (slutmarkeringen %%EOF saknas); texten kan vara ofullständig")
        )
    pdfium = _pdfium()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise InputError(source, _open_error(error)) from None
    try:
        return _read_document(document, source, warnings)
    finally:
        document.close()


def _pdfium():
    import pypdfium2

    return pypdfium2


def _open_error(error: Exception) -> str:
    import pypdfium2.raw as raw

    code = getattr(error, "err_code", None)
    said = str(error).lower()  # pypdfium2 4.30 names the error only in its message
    if code == raw.FPDF_ERR_PASSWORD or (code is None and "password" in said):
        return "PDF:en är krypterad med lösenord och kan inte läsas; spara en kopia utan lösenord"
    if code == raw.FPDF_ERR_SECURITY or (code is None and "security" in said):
        return "PDF:en är krypterad på ett sätt som inte stöds; spara en kopia utan kryptering"
    if code == raw.FPDF_ERR_FILE:
        return "PDF:en kan inte öppnas"
    return "PDF:en är skadad och kan inte läsas (ingen sida gick att öppna)"


# ----------------------------------------------------------------------------- pages


@dataclass
class _Page:
    number: int  # 1-based
    lines: list[_Line]
    needs_ocr: bool = False  # no text layer (or text without Unicode) but something drawn
    unmapped: bool = False  # text whose characters have no Unicode (a font without ToUnicode)
    text: str = ""


def _read_document(document, source: str, warnings: list[ParseWarning]) -> tuple[str, list[ParseWarning]]:
    pages = _open_pages(document, source, warnings)
    pitch = _line_pitch(pages)
    for page in pages:
        page.text = _page_text(page.lines, pitch)
    to_ocr = [page for page in pages if page.needs_ocr]
    if to_ocr:
        _read_without_text_layer(document, pages, to_ocr, source, warnings)
    if not any(page.text.strip() for page in pages):
        raise InputError(source, "PDF:en innehåller ingen text" if not to_ocr else "OCR fann ingen text i PDF:en")
    return _join_pages(pages, pitch), warnings


def _open_pages(document, source: str, warnings: list[ParseWarning]) -> list[_Page]:
    """Every page that opens, read; a broken page is skipped with a warning, a PDF of none refused."""
    pdfium = _pdfium()
    if len(document) > MAX_PDF_PAGES:
        raise InputError(source, f"PDF:en har {len(document)} sidor; högst {MAX_PDF_PAGES} läses")
    pages: list[_Page] = []
    broken: list[int] = []
    for index in range(len(document)):
        try:
            page = document[index]
        except pdfium.PdfiumError:
            broken.append(index + 1)
            continue
        try:
            pages.append(_read_page(page, index + 1))
        finally:
            page.close()
    if not pages:
        raise InputError(source, "PDF:en är skadad och kan inte läsas (ingen sida gick att öppna)")
    if broken:
        warnings.append(ParseWarning(message=f"{_pages_phrase(broken)} i PDF:en är skadad och lästes inte"))
    return pages


def _read_without_text_layer(document, pages: list[_Page], to_ocr: list[_Page], source: str,
                             warnings: list[ParseWarning]) -> None:
    """The pages without a (usable) text layer read with OCR where Tesseract can; else a
    warning naming them, or a refusal when nothing of the PDF could be read."""
    tesseract = _tesseract()
    missing = _tesseract_missing(tesseract)
    if missing is None:
        _ocr_pages(document, to_ocr, tesseract, source)  # type: ignore[arg-type]
        warnings.append(
            ParseWarning(
                message=f"texten på {_pages_phrase([p.number for p in to_ocr], definite=True)} saknar textlager "
                "och lästes med OCR (Tesseract, svenska); kontrollera belopp och namn mot PDF:en"
            )
        )
        return
    has_text = any(page.text.strip() for page in pages if not page.needs_ocr)
    if not has_text and not any(page.unmapped for page in to_ocr):
        raise InputError(source, f"PDF:en saknar textlager (skannad?); {missing} för att läsa den med OCR")
    warnings.extend(_not_ocr_warnings(to_ocr, missing))


def _not_ocr_warnings(to_ocr: list[_Page], missing: str) -> list[ParseWarning]:
    """Pages left without OCR: scanned ones not read, ones without Unicode read as they are."""
    found = []
    skipped = [page.number for page in to_ocr if not page.unmapped]
    garbled = [page.number for page in to_ocr if page.unmapped]
    if skipped:
        them = "den" if len(skipped) == 1 else "dem"
        found.append(
            ParseWarning(
                message=f"{_pages_phrase(skipped)} saknar textlager (skannad?) och lästes inte; "
                f"{missing} för att läsa {them} med OCR"
            )
        )
    if garbled:
        found.append(
            ParseWarning(
                message=f"texten på {_pages_phrase(garbled, definite=True)} saknar teckenkodning (typsnitt "
                f"utan ToUnicode) och kan vara felläst; {missing} för att läsa den med OCR i stället"
            )
        )
    return found


def _pages_phrase(numbers: list[int], definite: bool = False) -> str:
    """"sida 3" / "sidorna 1–3, 5 och 7" ("sidan"/"sidorna" with definite=True)."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]
    if len(numbers) == 1:
        return f"{'sidan' if definite else 'sida'} {joined}"
    return f"sidorna {joined}"


# ----------------------------------------------------------------------------- characters


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    y: float  # baseline, growing downwards the page
    size: float
    space_before: bool  # a space (in the PDF or inferred by PDFium) precedes it in the text


@dataclass
class _Line:
    y: float
    size: float
    chars: list[_Char]


def _read_page(page, number: int) -> _Page:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        chars, unmapped, total = _page_chars(textpage, raw)
    finally:
        textpage.close()
    if total and unmapped / total > _UNMAPPED_SHARE:
        return _Page(number, _lines(chars), needs_ocr=True, unmapped=True)
    if not chars:
        return _Page(number, [], needs_ocr=_draws_something(page, raw))
    return _Page(number, _lines(chars))


def _page_chars(textpage, raw) -> tuple[list[_Char], int, int]:
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return [], 0, 0
    codes = _all_codes(handle, count, raw)
    box = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    is_generated, map_error = raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
    loose_box, origin = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin
    font_size, char_angle = raw.FPDFText_GetFontSize, raw.FPDFText_GetCharAngle
    found: list[tuple[str, tuple[float, float, float, float], float, float, float, bool, float]] = []
    unmapped = total = 0
    space_before = False
    for index, char in enumerate(codes):
        if not char.strip() or is_generated(handle, index) == 1:
            space_before = True  # real spaces, and the spaces and line ends PDFium inferred
            continue
        total += 1
        if total <= _UNMAPPED_SAMPLE and (map_error(handle, index) == 1 or char == "\ufffd"):
            unmapped += 1
        if not loose_box(handle, index, box):
            continue
        origin(handle, index, x, y)
        size = font_size(handle, index) or abs(box.top - box.bottom) or 10.0
        edges = (box.left, box.right, box.bottom, box.top)
        found.append((char, edges, x.value, y.value, size, space_before, char_angle(handle, index)))
        space_before = False
    total = min(total, _UNMAPPED_SAMPLE)
    if not found:
        return [], unmapped, total
    # Text drawn turned (a landscape table on a portrait page) is read in its own direction;
    # characters turned otherwise than most of the page (a diagonal "UTKAST") are left out.
    turns = Counter(round((angle % (2 * math.pi)) / (math.pi / 2)) % 4 for *_, angle in found)
    turn = turns.most_common(1)[0][0]
    chars = []
    for char, edges, origin_x, origin_y, size, before, angle in found:
        quarter = (angle % (2 * math.pi)) / (math.pi / 2)
        if abs(quarter - round(quarter)) > 0.05 or round(quarter) % 4 != turn:
            continue
        x0, x1, baseline = _turned(turn, edges, origin_x, origin_y)
        chars.append(_Char(_clean_char(char), x0, x1, baseline, size, before))
    return chars, unmapped, total


def _all_codes(handle, count: int, raw) -> list[str]:
    """Every character of the text page, by index: one call for the page, per character
    only if the page has characters outside the Basic Multilingual Plane."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(handle, 0, count, buffer)
    text = bytes(buffer)[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return list(text)
    codes = (raw.FPDFText_GetUnicode(handle, index) for index in range(count))
    return [chr(code) if 0 < code < 0x110000 else "" for code in codes]


def _turned(turn: int, edges: tuple[float, float, float, float], x: float, y: float) -> tuple[float, float, float]:
    """Start and end along the line, and the baseline's place across the lines (growing in
    reading order), for text turned `turn` quarters anticlockwise."""
    left, right, bottom, top = edges
    if turn == 0:
        return left, right, -y
    if turn == 1:  # reading upwards; the next line is to the right
        return bottom, top, x
    if turn == 2:  # upside down; the next line is above
        return -right, -left, y
    return -top, -bottom, -x  # reading downwards; the next line is to the left


def _clean_char(char: str) -> str:
    if _LIGATURES.match(char):
        return unicodedata.normalize("NFKC", char)
    if char == "\x02":
        return "-"  # PDFium's hyphen at a line end
    return _CONTROL.sub("", char)


def _draws_something(page, raw) -> bool:
    """Whether a page without text shows something to read: an image (a scan), or text drawn
    as curves (many paths). Text objects of spaces only and a few rules do not count."""
    paths = 0
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        kind = raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, index))
        if kind in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM):
            return True
        if kind == raw.FPDF_PAGEOBJ_PATH:
            paths += 1
    return paths >= _CURVES_AS_TEXT


# ----------------------------------------------------------------------------- layout


def _lines(chars: list[_Char]) -> list[_Line]:
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: c.y):
        if lines and char.y - lines[-1].y <= _SAME_LINE * max(lines[-1].size, char.size):
            lines[-1].chars.append(char)
        else:
            lines.append(_Line(char.y, char.size, [char]))
    for line in lines:
        line.chars.sort(key=lambda c: c.x0)
        line.chars = _without_doubles(line.chars)
        line.size = statistics.median(c.size for c in line.chars)
        line.y = statistics.median(c.y for c in line.chars)
    return lines


def _without_doubles(chars: list[_Char]) -> list[_Char]:
    """Fake bold draws each character twice, a hair apart: keep one."""
    kept: list[_Char] = []
    for char in chars:
        if kept and char.text == kept[-1].text and abs(char.x0 - kept[-1].x0) < 0.1 * char.size:
            continue
        kept.append(char)
    return kept


def _line_pitch(pages: list[_Page]) -> float:
    """The distance between the baselines of consecutive lines of a paragraph: the commonest
    one of at most 1.7 font sizes (a wider one is a paragraph gap, however common)."""
    distances: Counter[float] = Counter()
    for page in pages:
        for above, below in zip(page.lines, page.lines[1:], strict=False):
            distance = below.y - above.y
            if 0.9 * above.size <= distance <= 1.7 * above.size:
                distances[round(distance * 2) / 2] += 1
    if not distances:
        sizes = [line.size for page in pages for line in page.lines]
        return 1.2 * (statistics.median(sizes) if sizes else 10.0)
    return distances.most_common(1)[0][0]


def _page_text(lines: list[_Line], pitch: float) -> str:
    if not lines:
        return ""
    left = min(line.chars[0].x0 for line in lines)
    body = statistics.median(line.size for line in lines)
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None:
            ratio = (line.y - previous.y) / pitch
            if ratio >= 1.4:
                out.extend([""] * min(_MAX_BLANK_LINES, int(ratio - 0.4)))
        indent = min(_MAX_SPACES, round((line.chars[0].x0 - left) / (_SPACE_WIDTH * body)))
        out.append(" " * indent + _line_text(line.chars))
        previous = line
    return "\n".join(out).rstrip() + "\n"


def _join_pages(pages: list[_Page], pitch: float) -> str:
    """The pages as one text in reading order, with no mark where a page ends.

    A page break is a gap like any other: a blank line only where the text leaves a
    paragraph gap across it (the last line of a page higher than the lowest last line of
    the document, or the first line of the next lower than the highest first line). So a
    table or a paragraph broken across pages reads on as one; page headers and footers are
    lines between the pages, which the parser knows as page furniture.
    """
    laid_out = [page for page in pages if page.lines and page.text.strip()]
    top = min((page.lines[0].y for page in laid_out), default=0.0)
    bottom = max((page.lines[-1].y for page in laid_out), default=0.0)
    out: list[str] = []
    previous: _Page | None = None
    for page in pages:
        if not page.text.strip():
            continue
        if previous is not None:
            blank = 1  # around an OCR'd page
            if previous.lines and page.lines:
                ratio = ((bottom - previous.lines[-1].y) + (page.lines[0].y - top)) / pitch + 1
                blank = min(_MAX_BLANK_LINES, int(ratio - 0.4)) if ratio >= 1.4 else 0
            out.append("\n" * blank)
        out.append(page.text)
        previous = page
    return "".join(out)


def _line_text(chars: list[_Char]) -> str:
    parts: list[str] = []
    previous: _Char | None = None
    for char in chars:
        if previous is not None:
            em = max(previous.size, char.size)
            gap = char.x0 - previous.x1
            if gap >= _COLUMN_GAP * em:
                parts.append(" " * max(2, min(_MAX_SPACES, round(gap / (_SPACE_WIDTH * em)))))
            elif gap >= _WORD_GAP * em or (char.space_before and gap > -0.05 * em):
                parts.append(" ")
        parts.append(char.text)
        previous = char
    return "".join(parts)


# ----------------------------------------------------------------------------- OCR


def _tesseract() -> str | None:
    return shutil.which("tesseract")


def _tesseract_missing(tesseract: str | None) -> str | None:
    """None when Tesseract with Swedish can be used, otherwise what to install."""
    if tesseract is None:
        return "installera tesseract-ocr och tesseract-ocr-swe"
    if OCR_LANGUAGE not in _languages(tesseract):
        return "Tesseract saknar svenska (swe): installera tesseract-ocr-swe"
    return None


@lru_cache(maxsize=4)
def _languages(tesseract: str) -> frozenset[str]:
    try:
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in (listed.stdout + listed.stderr).splitlines()[1:])


def _ocr_pages(document, pages: list[_Page], tesseract: str, source: str) -> None:
    """Render each page (here: PDFium is not thread-safe) and OCR up to one page per core
    at a time, each Tesseract on one thread (faster than its own threads on a page)."""
    workers = max(1, min(len(pages), os.cpu_count() or 1, 4))
    slots = threading.BoundedSemaphore(workers)  # at most this many page images on disk

    def read(page: _Page, image: Path) -> str:
        try:
            return _run_tesseract(tesseract, image, source, page.number)
        finally:
            image.unlink(missing_ok=True)
            slots.release()

    with tempfile.TemporaryDirectory(prefix="finsam-ocr-") as folder, ThreadPoolExecutor(workers) as pool:
        futures = []
        for page in pages:
            image = Path(folder) / f"sida-{page.number}.pgm"
            slots.acquire()
            try:
                _render_gray(document, page.number - 1, image)
            except BaseException:
                slots.release()
                raise
            futures.append((page, pool.submit(read, page, image)))
        for page, future in futures:
            page.text = future.result()
            page.lines = []


def _render_gray(document, index: int, target: Path) -> None:
    """The page as an 8-bit grey PGM image at OCR_DPI (Tesseract reads PNM; no Pillow needed)."""
    page = document[index]
    try:
        bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
        try:
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            data = bytes(bitmap.buffer)
            channels = max(1, stride // width) if bitmap.n_channels != 1 else 1
        finally:
            bitmap.close()
    finally:
        page.close()
    if channels == 1:
        rows = b"".join(data[row * stride : row * stride + width] for row in range(height))
    else:  # a colour bitmap of a grey rendering: every channel holds the grey value
        step = bitmap.n_channels
        rows = b"".join(data[row * stride : row * stride + width * step : step] for row in range(height))
    target.write_bytes(b"P5\n%d %d\n255\n" % (width, height) + rows)


def _run_tesseract(tesseract: str, image: Path, source: str, number: int) -> str:
    # --psm 6 reads the page as one block of text in reading order, so a table row keeps
    # its label and numbers on one line; preserve_interword_spaces keeps the wide gaps
    # between table cells as runs of spaces (the parser needs two or more between numbers).
    command = [
        tesseract, str(image), "stdout", "-l", OCR_LANGUAGE, "--dpi", str(OCR_DPI), "--psm", "6",
        "-c", "preserve_interword_spaces=1",
    ]
    try:
        environment = {"OMP_THREAD_LIMIT": "1", **os.environ}  # unless the user chose otherwise
        done = subprocess.run(command, capture_output=True, timeout=OCR_TIMEOUT, env=environment)
    except subprocess.TimeoutExpired:
        raise InputError(source, f"OCR av sida {number} tog mer än {OCR_TIMEOUT} sekunder och avbröts") from None
    except OSError as error:
        raise InputError(source, f"Tesseract kunde inte startas ({os_error_text(error)})") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(source, f"OCR av sida {number} misslyckades (Tesseract: {detail[-1] if detail else done.returncode})")
    text = done.stdout.decode("utf-8", "replace").replace("\r\n", "\n").replace("\f", "")
    return _CONTROL.sub("", text).rstrip() + "\n"
