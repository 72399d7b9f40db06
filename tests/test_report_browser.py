"""The review report in a real browser: headless Chromium (Debian's package) driven
by Playwright loads the day-two page from a file and checks that the rows of the
two dropped lists are there and visible, then saves a screenshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.main import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SLUG = "rejekts-2025-london-day-2"


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_missing_rows_are_visible_in_chromium(project_root: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    result = CliRunner().invoke(cli, ["--root", str(project_root), "run", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page_path = project_root / "output" / "reports" / "cs" / f"{SLUG}.html"
    shot = tmp_path / "day-two-report.png"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(page_path.as_uri())
            missing = page.locator("tr[data-state=missing]")
            assert missing.count() == 10
            texts = [missing.nth(i).inner_text() for i in range(missing.count())]
            assert all(missing.nth(i).is_visible() for i in range(missing.count()))
            assert any("Kuma is easy to deploy" in t for t in texts)
            assert any("YAML v1.3" in t for t in texts)
            colour = missing.first.evaluate("row => getComputedStyle(row).backgroundColor")
            assert colour != "rgb(255, 255, 255)" and colour != "rgba(0, 0, 0, 0)"
            assert page.locator("tr[data-state=extra]").count() == 1
            missing.first.scroll_into_view_if_needed()
            page.screenshot(path=str(shot), full_page=False)
            index = browser.new_page()
            index.goto((page_path.parent / "index.html").as_uri())
            assert index.locator("svg rect").count() >= 4
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
