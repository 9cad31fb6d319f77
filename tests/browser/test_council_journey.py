"""In a real browser (Debian's chromium via Playwright, 360×780): the demo council officer of ตำบลบ้านหลวง
registers a community organisation, records a meeting with its minutes (a PDF upload), enters this year's local
development plan with an item linked to the local administration's budget, and runs this year's strong-community
self-assessment, whose page shows its level and its dimensions against last year (the demo gave last year's).

Elements are found by ids, names and URLs, not by interface text. Screenshots go to $CHUMCHON_SCREENSHOTS when it is
set (councils-01-council.png … councils-06-assessment.png).
"""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]

COUNCIL = "/councils/CC-500203/"
PASSWORD = "chumchon-demo"  # noqa: S105 (the demo's published password)
WIDTH = 360


def _today() -> datetime.date:
    return datetime.datetime.now(ZoneInfo("Asia/Bangkok")).date()


def _be(d: datetime.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year + 543}"


def _fiscal_year(d: datetime.date) -> int:
    return d.year + 543 + (1 if d.month >= 10 else 0)


class Phone:
    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": WIDTH, "height": 780}, locale="th-TH")
        self.page = self.context.new_page()
        self.bad: list[str] = []
        self.console: list[str] = []
        self.page.on("response", lambda r: self.bad.append(f"{r.status} {r.url}")
                     if r.status >= 400 and r.request.resource_type == "document" else None)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)

    def ok(self) -> None:
        self.page.wait_for_load_state()
        assert not self.bad, f"error pages: {self.bad}"

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.ok()

    def submit(self, selector: str = "main form.form button[type=submit]") -> None:
        self.page.locator(selector).first.click()
        self.ok()

    def success(self) -> str:
        found = self.page.locator(".messages .message.success")
        errors = self.page.locator(".errorlist").all_inner_texts()
        assert found.count() >= 1, f"no success message on {self.page.url}: {errors}"
        return found.first.inner_text()

    def fits(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{self.page.url} is {width} px wide at a {WIDTH} px viewport"


def test_council_officer_journey(browser, demo_server, shot, server_log, tmp_path):
    mark = server_log.mark()
    phone = Phone(browser, demo_server)
    page = phone.page
    today = _today()
    fy = _fiscal_year(today)

    phone.go("/accounts/login/")
    page.fill("#id_username", "council")
    page.fill("#id_password", PASSWORD)
    phone.submit("main form button[type=submit]")
    phone.go(COUNCIL)
    assert page.locator("h1").inner_text().startswith("สภาองค์กรชุมชนตำบล")
    phone.fits()
    shot(page, "councils-01-council.png")

    # 1. Register a community organisation (จดแจ้ง).
    phone.go(f"{COUNCIL}register/")
    page.fill("#id_name_th", "กลุ่มจักสานไม้ไผ่บ้านหลวง")
    page.select_option("#id_kind", "occupation")
    page.fill("#id_village_number", "4")
    page.fill("#id_members_count", "23")
    page.fill("#id_leaders", "นางคำปุ่น ทองสุข")
    page.fill("#id_number", "901")
    page.fill("#id_registered_on", _be(today))
    page.fill("#id_documents", "แบบจดแจ้ง, รายชื่อสมาชิก")
    phone.fits()
    shot(page, "councils-02-register.png")
    phone.submit()
    assert "901" in phone.success()
    assert page.locator("#registrations", has_text="กลุ่มจักสานไม้ไผ่บ้านหลวง").count() == 1

    # The same organisation again: refused with the Thai message, nothing saved.
    phone.go(f"{COUNCIL}register/")
    page.fill("#id_name_th", "กลุ่มจักสานไม้ไผ่บ้านหลวง")
    page.select_option("#id_kind", "occupation")
    page.fill("#id_members_count", "23")
    page.fill("#id_number", "902")
    page.fill("#id_registered_on", _be(today))
    phone.submit()
    assert "จดแจ้งกับสภานี้แล้ว" in page.locator(".errorlist").first.inner_text()

    # 2. Record a meeting with its minutes (a PDF scan).
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% minutes of the council meeting\n%%EOF\n")
    phone.go(f"{COUNCIL}meetings/new/")
    page.fill("#id_date", _be(today))
    page.fill("#id_attendees", "12")
    page.fill("#id_agenda", "1. รับรองรายงานการประชุม\n2. แผนพัฒนาชุมชนปี " + str(fy))
    page.fill("#id_resolutions", "เห็นชอบแผนพัฒนาชุมชน")
    page.set_input_files("#id_minutes", str(minutes))
    phone.submit()
    phone.success()
    assert re.search(r"/councils/CC-500203/meetings/\d+/$", page.url)
    href = page.locator("#minutes-link").get_attribute("href")
    response = phone.context.request.get(demo_server + href)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    phone.fits()
    shot(page, "councils-03-meeting.png")

    # 3. This year's plan, an item, and its link to the local administration's budget.
    phone.go(f"{COUNCIL}plans/new/")
    page.fill("#id_fiscal_year", str(fy))
    page.fill("#id_title", f"แผนพัฒนาชุมชนตำบลบ้านหลวง ปี {fy}")
    phone.submit()
    phone.success()
    plan_url = page.url
    page.locator('a[href$="/items/new/"]').first.click()
    phone.ok()
    page.fill("#id_issue", "น้ำเพื่อการเกษตรไม่พอ")
    page.fill("#id_activity", "ขุดลอกลำเหมืองสาธารณะ")
    page.fill("#id_budget_needed", "180,000")
    phone.submit()
    phone.success()
    page.locator('a[href*="/link/"]').first.click()
    phone.ok()
    page.select_option("#id_agency_kind", "local")
    page.select_option("#id_local_administration", index=1)
    page.fill("#id_amount", "150,000")
    phone.submit()
    phone.success()
    assert page.url == plan_url
    assert page.locator("#amount-given").inner_text().strip() == "150,000.00"
    phone.fits()
    page.set_viewport_size({"width": WIDTH, "height": 1100})  # the figures and the item with its link
    shot(page, "councils-04-plan.png")
    page.set_viewport_size({"width": WIDTH, "height": 780})

    # 4. The strong-community self-assessment of this year.
    phone.go(COUNCIL)
    page.locator('a[href*="instrument=strong-community"]').first.click()
    phone.ok()
    page.fill("#id_assessors", "คณะทำงานสภาองค์กรชุมชนตำบลบ้านหลวง")
    phone.submit()
    assert re.search(r"/assessments/\d+/answer/$", page.url)
    # An answer outside the item's range first: refused, the message names the item.
    page.fill('[name="answer_1.4"]', "150")
    phone.submit('button[name="action"][value="save"]')
    assert "ข้อ 1.4" in page.locator(".errorlist").first.inner_text()
    for select in page.locator("select[name^='answer_']").all():
        options = select.locator("option").all()
        select.select_option(options[-1].get_attribute("value") if len(options) > 3 else "1")
    for box in page.locator("input[name^='answer_']").all():
        box.fill("15")
    for box in page.locator("input[name^='evidence_']:not([type=file])").all():
        box.fill("ภาพถ่ายกิจกรรมและรายงานการประชุม")
    phone.fits()
    page.locator("fieldset.dimension").first.evaluate("e => e.scrollIntoView()")
    shot(page, "councils-05-answer.png")
    phone.submit('button[name="action"][value="submit"]')
    phone.success()
    assert re.search(r"/assessments/\d+/$", page.url)
    assert page.locator("#level").inner_text().strip() not in ("", "—")
    chart = page.locator("#dimension-chart")
    assert chart.locator("tbody tr").count() == 4
    assert str(fy - 1) in chart.locator("thead").inner_text() and str(fy) in chart.locator("thead").inner_text()
    assert chart.locator("meter").count() == 8
    # The same figures drawn as a chart (Chart.js, loaded under the strict CSP) above the table.
    page.wait_for_function("document.querySelector('figure.chart canvas') && "
                           "document.querySelector('figure.chart canvas').width > 0")
    phone.fits()
    page.set_viewport_size({"width": WIDTH, "height": 1500})  # the level, the chart and the table in one picture
    shot(page, "councils-06-assessment.png")
    page.set_viewport_size({"width": WIDTH, "height": 780})

    # The council's page now lists this year's assessment beside last year's.
    phone.go(COUNCIL)
    assert page.locator("#assessments a", has_text=str(fy)).count() >= 1

    assert "Traceback" not in server_log.since(mark)
    assert not [e for e in phone.console if "Content Security Policy" in e], phone.console
    phone.context.close()
