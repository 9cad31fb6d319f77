"""In a real browser on a phone-sized screen (360×780, Debian's chromium via Playwright): a fund treasurer's
working day on the demo fund CM-500203 — register a member, post a village's collection sheet, record a
matching grant, submit a hospital and a funeral claim that another committee member (the chair) approves, pay
them with vouchers, run the elderly pension batch, and print the receipt, the voucher and the fund status form.

Runs against `chumchon runserver` on a demo database (fixtures in conftest.py). Elements are found by form
field ids, names, button types and URLs, not by interface text (the Thai catalog changes); Thai text is
checked only where it is data (names, the rule engine's explanations, PDFs' fixed Thai headings). Screenshots
go to $CHUMCHON_SCREENSHOTS when it is set (welfare-01-fund.png … welfare-08-status.png).
"""

import datetime
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]

CODE = "CM-500203"
FUND = f"/funds/{CODE}"
FUND_NAME = "กองทุนสวัสดิการชุมชนตำบลบ้านหลวง"
PASSWORD = "chumchon-demo"  # noqa: S105 (the demo's published password)
VILLAGE = 4
WIDTH = 360


def _today() -> datetime.date:
    return datetime.datetime.now(ZoneInfo("Asia/Bangkok")).date()  # the server's date (TIME_ZONE)


def _be(d: datetime.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year + 543}"


def _flat(text: str) -> str:
    """Text to compare with a PDF's text layer: no white space, and SARA AM (ำ) and SARA AA (า) made alike.
    WeasyPrint draws ำ as NIKHAHIT + the SARA AA glyph, and the PDF maps that glyph back to whichever of the
    two it met first, so pdftotext reads จาก as จำก, or ตำบล as ตาบล, though the page looks right."""
    return re.sub(r"\s+", "", text).replace("\u0e33", "\u0e32").replace("\u0e4d", "")


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip() or "0")


class Phone:
    """One browser tab at 360×780 that remembers every page that answered with an error."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": WIDTH, "height": 780}, locale="th-TH")
        self.page = self.context.new_page()
        self.bad: list[str] = []
        self.console: list[str] = []
        self.page.on("response", self._response)
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type == "document":
            self.bad.append(f"{response.status} {response.request.method} {response.url}")

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.ok()

    def ok(self) -> None:
        self.page.wait_for_load_state()
        assert not self.bad, f"error pages: {self.bad}"

    def submit(self, selector: str = "main form.form button[type=submit]") -> None:
        self.page.locator(selector).first.click()
        self.ok()

    def success(self) -> str:
        messages = self.page.locator(".messages .message.success")
        assert messages.count() >= 1, f"no success message on {self.page.url}: {self.errors()}"
        return messages.first.inner_text()

    def errors(self) -> list[str]:
        return self.page.locator(".messages .error, .errorlist").all_inner_texts()

    def fits(self) -> None:
        """Nothing sticks out sideways at 360 px (wide tables scroll inside their .table-wrap)."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{self.page.url} is {width} px wide at a {WIDTH} px viewport"

    def login(self, username: str) -> None:
        self.go("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.submit("main form button[type=submit]")
        assert "/accounts/login/" not in self.page.url, self.errors()

    def logout(self) -> None:
        self.page.locator('form[action*="logout"] button[type=submit]').click()
        self.ok()
        assert self.page.locator('a[href*="/accounts/login/"]').first.is_visible()

    def pdf(self, path: str, into: Path) -> str:
        """Fetch a PDF with the tab's session, check it is one, keep it in ``into`` and return its text
        (pdftotext -raw: in content order, which keeps Thai tone marks with their letters)."""
        response = self.context.request.get(self.base + path)
        assert response.status == 200, f"{path}: {response.status}"
        assert response.headers["content-type"] == "application/pdf", response.headers
        body = response.body()
        assert body.startswith(b"%PDF"), body[:40]
        into.write_bytes(body)
        return subprocess.run(["pdftotext", "-raw", str(into), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout

    def close(self) -> None:
        assert not [e for e in self.console if "Content Security Policy" in e], self.console
        self.context.close()


def _stats(phone: Phone) -> list[str]:
    return [t.strip() for t in phone.page.locator(".cards .card.stat strong").all_inner_texts()]


def _claim_candidates(phone: Phone, today: datetime.date, numbers: list[str], count: int) -> list[str]:
    """Of ``numbers``, members not on the committee who joined more than a year ago, are active, owe for at
    most 90 days and have never claimed: the hospital and funeral rules' waiting periods, arrears limits and
    yearly caps are then met. Joining dates come from the fund page's member list (all its pages)."""
    from chumchon.core.thai.dates import parse_date

    joined, committee, page_number = {}, "", 1
    while True:
        phone.go(f"{FUND}/?page={page_number}")
        committee = committee or " ".join(phone.page.locator("section.card ul li").all_inner_texts())
        before = len(joined)
        for row in phone.page.locator("main table tbody tr").all():
            cells = [c.strip() for c in row.locator("td").all_inner_texts()]
            if len(cells) >= 4 and cells[1] not in committee:
                joined.setdefault(cells[0], parse_date(cells[3]))
        if len(joined) == before:
            break  # past the last page (the paginator repeats it)
        page_number += 1
    chosen = []
    for number in numbers:
        if number not in joined or (today - joined[number]).days < 365:
            continue
        phone.go(f"{FUND}/members/{number}/")
        if not phone.page.locator('a[href$="/contribute/"]').count():
            continue  # not active
        if int(_stats(phone)[2]) > 90:
            continue
        if phone.page.locator("main table").nth(1).locator("tbody td[colspan]").count() != 1:
            continue  # has claimed before (this year's cap may be used)
        chosen.append(number)
        if len(chosen) == count:
            return chosen
    raise AssertionError(f"not {count} members fit for a claim among {numbers}")


def _submit_claim(phone: Phone, number: str, kind: str, units: str, consent: bool, today, evidence=None) -> int:
    phone.go(FUND + "/")
    phone.page.locator(f'main nav a[href="{FUND}/claims/new/"]').click()
    phone.ok()
    phone.page.fill("#id_member_number", number)
    phone.page.select_option("#id_kind", label=kind)
    assert phone.page.input_value("#id_event_date") == _be(today)
    phone.page.fill("#id_units", units)
    if consent:
        phone.page.check("#id_consent")
    if evidence:
        phone.page.set_input_files("#id_evidence", evidence)
    phone.submit()
    phone.success()
    match = re.search(rf"{FUND}/claims/(\d+)/$", phone.page.url)
    assert match, phone.page.url
    return int(match.group(1))


def test_treasurer_day_member_sheet_grant_claims_pension_and_prints(demo_server, browser, shot, server_log,
                                                                   tmp_path):
    today = _today()
    log_mark = server_log.mark()
    phone = Phone(browser, demo_server)
    page = phone.page

    # 1. The treasurer logs in and lands on the fund's home page.
    phone.login("treasurer")
    assert page.url == f"{demo_server}{FUND}/"
    assert page.locator("h1").inner_text() == FUND_NAME
    assert page.locator("html").get_attribute("lang") == "th"
    phone.fits()
    shot(page, "welfare-01-fund.png")

    # 2. Registers a member: Thai names, a national ID typed with dashes, dates typed in B.E.
    from chumchon.core.thai.national_id import make_valid

    national_id = make_valid("3" + "50020345678")
    page.locator(f'main nav a[href="{FUND}/members/new/"]').click()
    phone.ok()
    number = page.input_value("#id_member_number")
    assert re.fullmatch(r"\d{5}", number), number
    page.select_option("#id_title", "นาง")
    page.fill("#id_first_name", "บุญมา")
    page.fill("#id_last_name", "ศรีเมืองทอง")
    page.fill("#id_national_id", f"{national_id[0]}-{national_id[1:5]}-{national_id[5:10]}-{national_id[10:12]}-"
                                 f"{national_id[12]}")
    page.fill("#id_birth_date", "12/4/2500")
    page.select_option("#id_sex", "F")
    page.fill("#id_house_number", "99/1")
    page.fill("#id_village_number", str(VILLAGE))
    assert page.input_value("#id_subdistrict") == "500203"
    page.fill("#id_phone", "0812345678")
    page.fill("#id_joined_on", "1/6/2560")
    phone.submit()
    assert number in phone.success()
    assert page.url == f"{demo_server}{FUND}/members/{number}/"
    assert page.locator("h1").inner_text() == "นางบุญมา ศรีเมืองทอง"
    assert "1 มิถุนายน 2560" in page.locator("main p.help").first.inner_text()  # joined, in B.E.
    owes_days = (today - datetime.date(2017, 6, 1)).days + 1  # nothing paid since joining
    paid_through, owed, arrears = _stats(phone)
    assert (owed, arrears) == (f"{owes_days:,}.00", f"{owes_days:,}")
    phone.fits()
    shot(page, "welfare-02-member.png")

    # 3. The collection sheet of one village: amounts pre-filled with what each owes; one edited with the
    # keyboard (Tab into the next box selects its amount, typing replaces it), one cleared; posted.
    phone.go(f"{FUND}/collect/?village={VILLAGE}&date={_be(today)}")
    inputs = page.locator("table.sheet input.sheet-amount")
    assert inputs.count() >= 4, "the demo's village has too few members for this journey"
    ours = page.locator("table.sheet tbody tr", has=page.locator(f'td:text-is("{number}")'))
    assert ours.locator("input.sheet-amount").input_value() == f"{owes_days}.00"
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    assert sum(1 for v in values if v) >= 3, values  # the demo's members owe for the current fiscal year so far
    to_post = page.locator("#sheet-total strong")
    assert to_post.is_visible(), "the sheet's total to post is shown on a phone"
    assert to_post.inner_text() == f"{sum(_money(v) for v in values):,.2f}"
    numbers = [t.strip() for t in page.locator("table.sheet tbody tr td:first-child").all_inner_texts()]
    owing = [i for i, v in enumerate(values) if v and numbers[i] != number]
    edited_at = next(i for i in owing if i >= 1)  # Tab arrives from the box above
    cleared_at = next(i for i in owing if i != edited_at)
    edited, cleared = inputs.nth(edited_at), inputs.nth(cleared_at)
    inputs.nth(edited_at - 1).click()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == edited.get_attribute("id")
    page.keyboard.type("365")
    assert edited.input_value() == "365"
    cleared_number = numbers[cleared_at]
    cleared.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert cleared.input_value() == ""
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    total = sum((_money(v) for v in values if v), Decimal("0.00"))
    paying = sum(1 for v in values if v)
    paid_on_sheet = [n for n, v in zip(numbers, values, strict=True) if v and n != number]
    # The total to post follows the typing (htmx, the server's own reading of each amount).
    page.wait_for_function("t => document.querySelector('#sheet-total strong').textContent.trim() === t",
                           arg=f"{total:,.2f}", timeout=10_000)
    edited.scroll_into_view_if_needed()
    phone.fits()
    shot(page, "welfare-03-sheet.png")
    phone.submit("main form.form[method=post] button[type=submit]")
    # On to the next village of the day (its sheet), or the fund after the last one.
    assert page.url == f"{demo_server}{FUND}/" or page.url.startswith(f"{demo_server}{FUND}/collect/?village="), \
        page.url
    message = phone.success()
    assert str(paying) in message and f"{total:,.2f}" in message, (message, paying, total)

    phone.go(f"{FUND}/members/{number}/")
    assert _stats(phone)[1:] == ["0.00", "0"], "the new member paid everything owed on the sheet"
    sheet_receipt = page.locator('main table a[href*="/receipts/"]').first.inner_text().strip()
    phone.go(f"{FUND}/members/{cleared_number}/")
    assert _stats(phone)[1] != "0.00", "the cleared row was not paid"

    # 4. A matching grant from the government, 20,000 baht.
    phone.go(FUND + "/")
    page.locator(f'main nav a[href="{FUND}/grants/new/"]').click()
    phone.ok()
    page.select_option("#id_source", "government")
    page.fill("#id_amount", "20,000")
    page.fill("#id_date", _be(today))
    assert int(page.input_value("#id_members_covered")) > 200  # the fund's active members
    page.fill("#id_reference", "CODI-2570")
    phone.fits()
    shot(page, "welfare-04-grant.png")
    phone.submit()
    assert page.url == f"{demo_server}{FUND}/"
    phone.success()
    phone.go(f"{FUND}/grants/new/")
    assert "20,000.00" in page.locator("main table tbody tr").first.inner_text()

    # 5. A hospital claim (2 nights, consent, a certificate) and a funeral claim for two of the members who have
    # just paid on the sheet (whatever today's date, they are not in arrears); the rules explain themselves.
    hospital_member, funeral_member = _claim_candidates(phone, today, paid_on_sheet, 2)
    certificate = tmp_path / "ใบรับรองแพทย์.jpg"
    certificate.write_bytes(b"\xff\xd8\xff\xe0 not really a photo of a certificate \xff\xd9")
    hospital = _submit_claim(phone, hospital_member, "นอนโรงพยาบาล", "2", True, today, certificate)
    explanation = page.locator("ol.explanation li")
    lines = explanation.all_inner_texts()
    assert len(lines) >= 5 and page.locator("ol.explanation li.not-ok").count() == 0, lines
    assert any("2 คืน × 200 = 400" in line for line in lines), lines
    assert any("เพดานต่อปี 1,000" in line for line in lines), lines
    assert _stats(phone)[0] == "400.00"
    assert page.locator("button[name=decision]").count() == 0, "the submitter cannot decide (four eyes)"
    phone.fits()
    page.locator("h1").evaluate("h => h.scrollIntoView()")  # the amount, the status and the explanation
    shot(page, "welfare-05-claim.png")

    funeral = _submit_claim(phone, funeral_member, "เสียชีวิต/ฌาปนกิจ", "1", False, today)
    lines = page.locator("ol.explanation li").all_inner_texts()
    assert page.locator("ol.explanation li.not-ok").count() == 0, lines
    assert any("ตามขั้นอัตรา" in line for line in lines), lines
    funeral_amount = _stats(phone)[0]
    assert funeral_amount in ("3,000.00", "10,000.00", "20,000.00"), funeral_amount
    phone.logout()

    # The chair (not the submitter) approves both.
    phone.login("chair")
    for pk in (hospital, funeral):
        phone.go(f"{FUND}/claims/{pk}/")
        page.fill("#id_reason", "ตรวจหลักฐานแล้ว")
        page.locator("button[name=decision][value=approve]").click()
        phone.ok()
        phone.success()
        assert page.locator(f'form[action="{FUND}/claims/{pk}/pay/"]').count() == 1
    phone.logout()

    # The treasurer pays both (hospital in cash, funeral by bank transfer) and prints the vouchers.
    phone.login("treasurer")
    vouchers = {}
    for pk, account in ((hospital, "1101"), (funeral, "1102")):
        phone.go(f"{FUND}/claims/{pk}/")
        pay = page.locator(f'form[action="{FUND}/claims/{pk}/pay/"]')
        assert pay.locator("#id_date").input_value() == _be(today)
        pay.locator("#id_cash_account").select_option(account)
        phone.submit(f'form[action="{FUND}/claims/{pk}/pay/"] button[type=submit]')
        phone.success()
        link = page.locator(f'a[href="{FUND}/claims/{pk}/voucher.pdf"]')
        assert link.count() == 1, phone.errors()
        vouchers[pk] = (page.locator("main p", has=link).locator("strong").inner_text().strip(),
                        phone.pdf(link.get_attribute("href"), tmp_path / f"voucher-{pk}.pdf"))
    phone.fits()
    page.locator("h1").evaluate("h => h.scrollIntoView()")  # paid, the rules, the voucher
    shot(page, "welfare-06-paid.png")

    # 6. The elderly pension batch: the treasurer prepares it, the chair approves and pays it.
    phone.go(FUND + "/")
    page.locator(f'main nav a[href="{FUND}/pension/"]').click()
    phone.ok()
    assert page.input_value("#id_date") == _be(today)
    phone.submit()
    phone.success()
    batch_url = page.url.removeprefix(demo_server)
    assert batch_url == f"{FUND}/pension/?batch=pension-{today.isoformat()}"
    rows = page.locator("main table tbody tr")
    pensioners = [r.split()[0] for r in rows.locator("td:first-child").all_inner_texts()]
    assert len(pensioners) >= 5, pensioners
    assert number in pensioners, "born 2500 B.E., a member since 2560 and paid up: due a pension"
    assert set(page.locator("main table tbody td.num").all_inner_texts()) == {"200.00"}
    phone.logout()
    phone.login("chair")
    phone.go(batch_url)
    phone.submit(f'form[action="{FUND}/pension/approve/"] button[type=submit]')
    success = phone.success()
    left = page.locator(".messages .message.warning").all_inner_texts()  # the chair's own pension, if she is due one
    assert str(len(pensioners) - len(left)) in success
    assert all("กรรมการคนอื่น" in text for text in left), left
    assert page.locator(".messages .message.error").count() == 0, phone.errors()
    assert page.url == demo_server + batch_url
    statuses = set(page.locator("main table tbody td:nth-child(2)").all_inner_texts())
    assert len(statuses) == 1 + len(left), statuses  # every pension paid but the chair's own
    phone.fits()
    page.locator("main h2").first.evaluate("h => h.scrollIntoView()")  # the batch, every row paid
    shot(page, "welfare-07-pension.png")
    phone.logout()

    # 7. Prints: a receipt (a single contribution taken at the member's home), the voucher, the status form.
    phone.login("treasurer")
    phone.go(f"{FUND}/members/{cleared_number}/")
    page.locator(f'a[href="{FUND}/members/{cleared_number}/contribute/"]').click()
    phone.ok()
    amount = _money(page.input_value("#id_amount"))
    assert amount > 0
    assert page.input_value("#id_date") == _be(today)
    phone.submit()
    receipt_message = phone.success()
    match = re.search(rf"{FUND}/receipts/([^/]+)/$", page.url)
    assert match, page.url
    receipt_number = match.group(1)
    assert receipt_number in receipt_message
    from chumchon.core.thai.money import baht_text

    words = baht_text(amount)
    assert words.endswith("บาทถ้วน") and words in page.locator("section.receipt").inner_text()
    text = phone.pdf(f"{FUND}/receipts/{receipt_number}/?format=pdf", tmp_path / "receipt.pdf")
    flat = _flat(text)
    assert all(_flat(t) in flat for t in ("ใบเสร็จรับเงิน", receipt_number, FUND_NAME, words, f"{amount:,.2f}")), text
    text = phone.pdf(f"{FUND}/receipts/{sheet_receipt}/?format=pdf", tmp_path / "receipt-sheet.pdf")
    assert _flat(baht_text(Decimal(owes_days))) in _flat(text), text

    voucher_number, text = vouchers[funeral]
    flat = _flat(text)
    assert all(_flat(t) in flat for t in ("ใบสำคัญจ่าย", voucher_number, funeral_amount, "เสียชีวิต")), text

    phone.go(f"{FUND}/status/")
    phone.fits()
    shot(page, "welfare-08-status.png")
    text = phone.pdf(f"{FUND}/status/?format=pdf", tmp_path / "status.pdf")
    flat = _flat(text)
    assert _flat("แบบแสดงสถานะกองทุน") in flat and _flat(FUND_NAME) in flat, text
    phone.logout()
    phone.close()

    log = server_log.since(log_mark)
    assert "Traceback" not in log and '" 500 ' not in log, log[-6000:]
