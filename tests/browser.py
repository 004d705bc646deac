"""A real browser for the analyst page (/ui): the system's headless Chromium driven by Selenium, and the
real service (``qawl-service serve``) on a loopback port. Used by tests/test_ui_browser.py and
scripts/ui_screenshot.py.

The browser is Debian's (``apt-get install chromium chromium-driver``), found on PATH or through
``QAWL_CHROMIUM`` / ``QAWL_CHROMEDRIVER``; Selenium comes with ``pip install -e '.[browser]'``. Selenium
never downloads a browser or driver here: both paths are given and Selenium Manager runs offline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from live_server import free_port, wait_ready

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def browser_paths() -> tuple[str | None, str | None]:
    """The Chromium binary and its ChromeDriver, or None for each that is not here."""
    chromium = os.environ.get("QAWL_CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    driver = os.environ.get("QAWL_CHROMEDRIVER") or shutil.which("chromedriver")
    return chromium, driver


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[browser]')"
    chromium, driver = browser_paths()
    if chromium is None or driver is None:
        absent = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver)) if p is None)
        hint = "apt-get install chromium chromium-driver, or set QAWL_CHROMIUM/QAWL_CHROMEDRIVER"
        return f"{absent} not found ({hint})"
    return None


def chrome(width: int = 1400, height: int = 1000) -> Any:
    """A headless Chromium session (Selenium WebDriver) with the browser console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = browser_paths()
    assert chromium is not None and driver is not None, missing()
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never reach for a download
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in CI and containers
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@contextlib.contextmanager
def serve(**env_vars: str) -> Iterator[str]:
    """``qawl-service serve`` (one worker) on a free loopback port, with ``QAWL_*`` from ``env_vars``
    only; yields its base URL once it is ready and stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QAWL_")}
    env.update(QAWL_LOG_LEVEL="warning", **env_vars)
    cmd = [sys.executable, "-m", "qawl_service", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True
    )
    try:
        wait_ready(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def set_text(driver: Any, element: Any, text: str) -> None:
    """Put ``text`` into a textarea as a paste does (ChromeDriver cannot type characters outside the
    BMP, such as emoji, so the value is set and an ``input`` event fired)."""
    driver.execute_script(
        "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        text,
    )


def analyze(driver: Any, timeout: float = 120) -> str:
    """Click Analyze and wait for the answer: the page's ``body[data-state]`` turns ``done`` or ``error``
    (it is reset first, so an earlier answer's state does not count); returns that state."""
    from selenium.webdriver.support.ui import WebDriverWait

    body = driver.find_element("tag name", "body")
    driver.execute_script("document.body.dataset.state = 'idle';")
    driver.find_element("id", "analyze").click()
    WebDriverWait(driver, timeout).until(lambda d: body.get_attribute("data-state") in ("done", "error"))
    return str(body.get_attribute("data-state"))


def console_errors(driver: Any) -> list[str]:
    """The browser console's errors since the last call (script errors, CSP violations, failed loads)."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
