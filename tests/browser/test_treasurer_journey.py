"""In a real browser (Debian's chromium via Playwright): a fund treasurer logs in, sees the fund's home page
in Thai, switches to English, and logs out. Runs against `chumchon runserver` on a demo database of its own."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("CHUMCHON_SCREENSHOTS", "")) if os.environ.get("CHUMCHON_SCREENSHOTS") else None

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CHUMCHON_TESTING"}}
    env.update({"CHUMCHON_VAR_DIR": str(var), "DEBUG": "true"})
    cli = [sys.executable, "-m", "chumchon"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run([*cli, "demo"], env=env, check=True, timeout=300, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([*cli, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def _shot(page, name):
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def test_treasurer_logs_in_sees_fund_in_thai_switches_to_english_and_logs_out(demo_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="th-TH")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(demo_server + "/")
    page.get_by_role("link", name="เข้าสู่ระบบ").first.click()
    page.get_by_label("ชื่อผู้ใช้").fill("treasurer")
    page.get_by_label("รหัสผ่าน").fill("chumchon-demo")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "กองทุนสวัสดิการชุมชนตำบลบ้านหลวง"
    assert page.locator("html").get_attribute("lang") == "th"
    assert "สมาชิก" in page.content() and "ประเทศไทย" in page.locator(".breadcrumbs").inner_text()
    _shot(page, "fund-home-th-360.png")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "active members" in page.content()
    assert heading.inner_text() == "กองทุนสวัสดิการชุมชนตำบลบ้านหลวง"  # a fund's name is its Thai name
    _shot(page, "fund-home-en-360.png")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").first.is_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
