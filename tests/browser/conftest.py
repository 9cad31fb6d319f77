"""Fixtures for the browser journeys (Debian's chromium via Playwright): one demo database and one
`chumchon runserver` for the whole session, a headless chromium, and screenshots into $CHUMCHON_SCREENSHOTS.

The demo takes a minute or two to build, so the browser test modules share it. A journey may change the data
(register members, post sheets, pay claims): tests look up what they need instead of assuming untouched demo
figures. The server's output (requests, tracebacks) goes to a log file; when a browser test fails its tail is
added to the report, and `server_log.since(mark)` lets a test assert that no request ended in a traceback.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerLog:
    """The runserver's stdout and stderr, as a file kept after the session (under pytest's basetemp)."""

    def __init__(self, path: Path):
        self.path = path

    def mark(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def since(self, mark: int = 0) -> str:
        if not self.path.exists():
            return ""
        with self.path.open("rb") as f:
            f.seek(mark)
            return f.read().decode("utf-8", "replace")

    def tail(self, chars: int = 6000) -> str:
        text = self.since()
        return text[-chars:]


@pytest.fixture(scope="session")
def server_log(tmp_path_factory) -> ServerLog:
    return ServerLog(tmp_path_factory.mktemp("runserver") / "runserver.log")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, server_log):
    """The base URL of `chumchon runserver` (with `chumchon db_worker` beside it) on a fresh `chumchon migrate`
    + `chumchon demo` database."""
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CHUMCHON_TESTING"}}
    env.update({"CHUMCHON_VAR_DIR": str(var), "DEBUG": "true", "PYTHONUNBUFFERED": "1"})
    cli = [sys.executable, "-m", "chumchon"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run([*cli, "demo"], env=env, check=True, timeout=600, capture_output=True)
    port = _free_port()
    log = server_log.path.open("wb")
    server = subprocess.Popen([*cli, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    # The background worker that checks and writes imports, as `make demo` runs it.
    worker = subprocess.Popen([*cli, "db_worker", "--no-reload", "--interval", "0.5", "--no-startup-delay"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(10)
        log.close()
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shot():
    """shot(page, "name.png"): a viewport screenshot into $CHUMCHON_SCREENSHOTS, when it is set."""
    folder = Path(os.environ["CHUMCHON_SCREENSHOTS"]) if os.environ.get("CHUMCHON_SCREENSHOTS") else None

    def take(page, name: str, full_page: bool = False) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / name), full_page=full_page)

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    log = getattr(item, "funcargs", {}).get("server_log")
    if report.failed and isinstance(log, ServerLog):
        report.sections.append(("runserver log (tail)", log.tail()))
