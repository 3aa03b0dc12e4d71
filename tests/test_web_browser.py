"""The story page in a real browser: Debian's Chromium driven by Playwright.

Skipped, saying why, when /usr/bin/chromium or the playwright package is
missing (`scripts/test-deps.sh` installs Chromium before `make test`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.pipeline import digest
from newsfuse.store import Store, open_store
from newsfuse.web import create_app
from newsfuse.web.loadtest import serve_in_thread
from newsfuse.web.pages import source_sentence_text

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The screenshot lands in the test's temporary folder; set this variable to a
# folder to keep it (bench/results/story_page.png is one taken that way).
SCREENSHOT_DIR = "NEWSFUSE_SCREENSHOT_DIR"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not installed (apt-get install chromium; scripts/test-deps.sh does it as root)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def seeds_store(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'seeds.db'}")
    digest([str(seeds_dir)], store)
    yield store
    store.close()


def open_page(browser: Any, url: str, problems: list[str]) -> Any:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    # Console errors include CSP violations; dialogs would mean injected script ran.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    return page


def test_click_citation_shows_source_sentence_and_outlet(
    browser: Any, seeds_store: Store, tmp_path: Path
) -> None:
    screenshot = Path(os.environ.get(SCREENSHOT_DIR) or tmp_path) / "story_page.png"
    story = max(seeds_store.stories(), key=lambda s: len(s.article_ids))
    first = story.writeup.summary[0]
    cited = first.citations[0]
    article = seeds_store.article(cited.article_id)
    assert article is not None
    expected = " ".join(source_sentence_text(cited, article).split())[:80]
    problems: list[str] = []
    with serve_in_thread(create_app(seeds_store)) as base:
        page = open_page(browser, f"{base}/stories/{story.id}", problems)
        panel = page.locator("#why-sum-0")
        assert page.locator("h1.headline").inner_text().strip()
        assert not panel.is_visible()
        page.locator("#sum-0 a.cite").click()
        assert panel.is_visible()
        assert page.locator("#sum-0 a.cite").get_attribute("aria-expanded") == "true"
        assert expected in " ".join(panel.inner_text().split())
        assert (article.outlet or article.id) in panel.inner_text()
        page.locator("#sum-0 a.cite").click()  # a second click closes the panel
        assert not panel.is_visible()
        page.locator("#sum-0 a.cite").click()
        # The top of the page: headline, summary and the opened citation.
        page.screenshot(path=str(screenshot), clip={"x": 0, "y": 0, "width": 1100, "height": 1300})
        # The outlet link leads to the source article, at the cited sentence.
        panel.locator("a.outlet").first.click()
        page.wait_for_url(f"**#s-{cited.sentence.index}")
        assert page.locator(f"#s-{cited.sentence.index}").is_visible()
        page.close()
    assert problems == []
    assert screenshot.stat().st_size > 10_000


def test_hostile_story_is_inert_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from test_web import hostile_store  # the same hostile article as the TestClient tests

    store, story = hostile_store(tmp_path)
    problems: list[str] = []
    with serve_in_thread(create_app(store)) as base:
        for path in ("/", f"/stories/{story.id}", "/articles/evil%3Cb%3E1%3C%2Fb%3E"):
            page = open_page(browser, base + path, problems)
            assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
            assert page.evaluate("document.documentElement.scrollWidth") <= 1100  # no overflow
            if path.startswith("/stories"):
                page.locator("#sum-0 a.cite").click()  # still usable
                assert page.locator("#why-sum-0").is_visible()
            page.close()
    store.close()
    assert problems == []


def test_citations_open_without_javascript(browser: Any, tmp_path: Path) -> None:
    """The panels also open through CSS :target when scripts are off."""
    from newsfuse.web.loadtest import sample_store

    store, story_id = sample_store(f"sqlite:///{tmp_path / 'sample.db'}")
    with serve_in_thread(create_app(store)) as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}/stories/{story_id}")
        page.locator("#acc-2 a.cite").click()
        assert page.locator("#why-acc-2").is_visible()
        assert "Elsby Times" in page.locator("#why-acc-2").inner_text()
        context.close()
    store.close()
