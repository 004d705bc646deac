"""Screenshots of the analyst page (/ui) for the README: docs/ui-article.png (one seed article, a stance
selected) and docs/ui-story.png (the story view of the five seeds, a source selected).

Starts the real service on a loopback port, drives the system's headless Chromium with Selenium (as the
browser test does: `apt-get install chromium chromium-driver`, `pip install -e '.[browser]'`), saves the
PNGs. The story view needs POST /v1/story: while the service has none, that screenshot is not taken and
the script says so (exit 2).

    python scripts/ui_screenshot.py [--only article|story] [--out docs]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers the tests use

from browser import analyze, chrome, console_errors, missing, serve, set_text  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
WIDTH = 1400


def shoot(driver: Any, path: Path, height: int, results_on_top: bool = False) -> None:
    """Save the viewport: from the top of the page, or from the top of the results."""
    driver.set_window_size(WIDTH, height)
    top = "document.getElementById('results').offsetTop - 8" if results_on_top else "0"
    driver.execute_script(f"window.scrollTo(0, {top});")
    driver.save_screenshot(str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def fill(driver: Any, base: str, texts: list[str]) -> None:
    driver.get(f"{base}/ui")
    for _ in texts[1:]:
        driver.find_element("id", "add").click()
    for box, text in zip(driver.find_elements("css selector", ".article-text"), texts, strict=True):
        set_text(driver, box, text)
    state = analyze(driver, timeout=180)
    if state != "done":
        raise SystemExit(f"the page did not render: {driver.find_element('id', 'problem').text}")


def article(driver: Any, base: str, out: Path) -> None:
    fill(driver, base, [SEEDS[0].read_text(encoding="utf-8")])
    items = driver.find_elements("css selector", ".stance-item")
    pick = next((i for i in items if "جون كيري" in i.text), items[0] if items else None)
    if pick is not None:
        pick.click()
    shoot(driver, out / "ui-article.png", 1500)


def story(driver: Any, base: str, out: Path) -> bool:
    probe = httpx.post(f"{base}/v1/story", json={"documents": [{"id": "probe", "text": "نص"}]}, timeout=60)
    if probe.status_code == 404:
        print("ui-story.png not taken: this service has no POST /v1/story yet (404)", file=sys.stderr)
        return False
    fill(driver, base, [p.read_text(encoding="utf-8") for p in SEEDS])
    driver.set_window_size(WIDTH, 1300)
    # A source of the best-sourced statement, selected: its words light up in their article.
    statements = driver.find_elements("css selector", ".statement")
    if statements:
        best = max(statements, key=lambda s: len(s.find_elements("css selector", ".source-item")))
        best.find_elements("css selector", ".source-item")[-1].click()
    shoot(driver, out / "ui-story.png", 1300, results_on_top=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("article", "story"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    reason = missing()
    if reason is not None:
        print(f"no browser: {reason}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    ok = True
    with serve() as base:
        driver = chrome(WIDTH, 1000)
        try:
            if args.only in (None, "article"):
                article(driver, base, args.out)
            if args.only in (None, "story"):
                ok = story(driver, base, args.out)
            errors = console_errors(driver)
            if errors:
                print("browser console errors:", *errors, sep="\n  ", file=sys.stderr)
                ok = False
        finally:
            driver.quit()
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
