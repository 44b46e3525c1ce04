"""Fixtures for end-to-end tests in a real Chromium: the live server, a worker process that
loads the shipped model, and pages that collect console errors."""
import os
import subprocess
from pathlib import Path

import pytest

from .workers import spawn_worker, stop_workers

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 30_000
# axe-core, the accessibility checker, from npm (pinned), installed once into a cache directory.
AXE_VERSION = "4.14.1"
AXE_CACHE = Path(os.environ.get("AXE_CACHE", Path.home() / ".cache" / "recognizer-tests")) / f"axe-core-{AXE_VERSION}"


@pytest.fixture(scope="module")
def worker_process(redis_conn, tmp_path_factory):
    """One real worker for the module: loading the model once keeps the suite quick.

    Each test's flush of Redis drops the worker's registration, not the worker, which keeps
    taking jobs from the queue.
    """
    process = spawn_worker(tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    stop_workers([process])


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database calls
    # (fixtures, flushes) are still plain synchronous code, so Django may allow them here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source():
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_CACHE),
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True, timeout=300)
    return script.read_text()


def axe_violations(page, source):
    """axe-core's violations of every impact on the page as it is now, as 'rule: target' lines.

    Evaluated through the DevTools protocol, which the page's content security policy (no
    inline script) does not govern, so the page is checked exactly as it is served.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'])}" for v in violations]


class Page:
    """A Playwright page on the live server that records every console error."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors = []
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def open(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, username, password):
        self.open("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("input[type=submit]")
        self.page.wait_for_url("**/admin/")


@pytest.fixture
def open_page(browser, live_server, transactional_db):
    """open_page(locale="en", width=1280, javascript=True) -> Page; asserts no console errors."""
    contexts, pages = [], []

    def make(locale="en", width=1280, height=900, javascript=True):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height},
                                      extra_http_headers={"Accept-Language": locale},
                                      java_script_enabled=javascript)
        contexts.append(context)
        page = Page(context.new_page(), live_server.url)
        pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    for page in pages:
        assert page.errors == [], page.errors


def draw_stroke(page, points):
    """One pen stroke on the draw pad through `points` (fractions of its width and height)."""
    page.locator("#draw-pad").scroll_into_view_if_needed()
    box = page.locator("#draw-pad").bounding_box()
    at = [(box["x"] + box["width"] * x, box["y"] + box["height"] * y) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for (x0, y0), (x1, y1) in zip(at, at[1:]):
        for step in range(1, 11):
            page.mouse.move(x0 + (x1 - x0) * step / 10, y0 + (y1 - y0) * step / 10)
    page.mouse.up()


def release_held_pictures(page, held, pattern, selector):
    """Lets the requests a route on `pattern` held back (appended to `held`) go on, once the page
    has asked, and waits until the picture at `selector` has loaded."""
    for _ in range(100):   # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, f"the page asked for {pattern}"
    for route in held:
        route.continue_()
    page.unroute(pattern)
    page.wait_for_function("s => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0; }",
                           arg=selector)
