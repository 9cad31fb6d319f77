"""In a real browser (Debian's chromium via Playwright): a fund treasurer logs in, sees the fund's home page
in Thai, switches to English, and logs out. Runs against `chumchon runserver` on a demo database (the
`demo_server` and `browser` fixtures are in conftest.py)."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]


def test_treasurer_logs_in_sees_fund_in_thai_switches_to_english_and_logs_out(demo_server, browser, shot):
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
    shot(page, "fund-home-th-360.png")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "active members" in page.content()
    assert heading.inner_text() == "กองทุนสวัสดิการชุมชนตำบลบ้านหลวง"  # a fund's name is its Thai name
    shot(page, "fund-home-en-360.png")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Log in").first.is_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
