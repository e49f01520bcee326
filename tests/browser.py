"""A real headless Chromium for the tests: Playwright for Python driving the machine's own browser.

No browser is downloaded (the machines reach package registries only): Playwright is
given Debian's `chromium` as `executable_path` — FINSAM_CHROMIUM when set, else the
first of CHROMIUM_NAMES on PATH. Without one the tests are skipped, except in CI
(CI set), where that is a failure: .ci/run installs Debian's chromium when missing.

Use: `from tests.browser import browser` in a test module makes the module's
`browser` fixture available; `new_page(browser)` gives a page that records console
errors, page errors and failed requests in `page.errors`.
"""

from __future__ import annotations

import io
import os
import shutil
from collections import Counter
from collections.abc import Iterator

import pytest
from PIL import Image

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_MS = 60_000  # two shared cores: an audit of five seeds may take a while
VIEWPORT = {"width": 1100, "height": 1400}


def find_chromium() -> str | None:
    given = os.environ.get("FINSAM_CHROMIUM")
    if given:
        return given
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")  # one Playwright at a time: a module's ends before the next one's starts
def browser() -> Iterator[object]:
    executable = find_chromium()
    if executable is None:
        message = ("no Chromium found (chromium, chromium-browser, google-chrome or FINSAM_CHROMIUM): "
                   "install Debian's with `apt-get install chromium`")
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it when it runs as root with apt-get")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, timeout=TIMEOUT_MS,
                                              args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def new_page(browser, **options):  # type: ignore[no-untyped-def]
    """A page in a fresh context, with `page.errors`: console errors, uncaught exceptions, failed requests."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.errors = []
    page.on("console", lambda message: message.type in ("error", "assert")
            and page.errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: page.errors.append(f"exception: {error}"))
    page.on("requestfailed", lambda request: page.errors.append(f"request failed: {request.url} {request.failure}"))
    return page


def colours(png: bytes) -> Counter[tuple[int, int, int]]:
    """How many pixels of each RGB colour a screenshot has."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return Counter({colour: count for count, colour in image.getcolors(maxcolors=image.width * image.height)})
