"""Accessibility: axe-core (vendored, test-only: tests/browser/vendor/axe-core) run in the main pages of each kind
of user — the public, a fund's treasurer, a member, a council officer, an auditor — on a 360 px phone and on a
1280 px screen, against WCAG 2.1 A and AA and axe's best practices. A page with any violation fails, naming the
rule, how serious it is and the first elements.

The pages are the demo's (`chumchon demo`, shared with the other browser tests). axe is put into each page by
Playwright with the page's Content-Security-Policy bypassed (it forbids inline scripts: the site itself never
needs one).
"""

from pathlib import Path

import pytest

from .test_welfare_journey import CODE

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "chumchon-demo"  # noqa: S105 (the demo's published password)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make install)"),
]

PAGES = {
    None: ["/", "/accounts/login/", "/open-data/"],
    "treasurer": ["/", f"/funds/{CODE}/", f"/funds/{CODE}/members/new/", f"/funds/{CODE}/claims/",
                  f"/funds/{CODE}/claims/new/", f"/funds/{CODE}/collect/", f"/funds/{CODE}/status/",
                  f"/funds/{CODE}/reports/", f"/funds/{CODE}/rules/", "/data/imports/", "/data/imports/new/",
                  "/data/export/", "/ledger/", f"/ledger/{CODE}/", f"/ledger/{CODE}/periods/",
                  f"/ledger/{CODE}/entries/new/", "/people/", f"/insights/fund/{CODE}/"],
    "member": ["/", "/funds/me/"],
    "council": ["/councils/", "/councils/CC-500203/", "/councils/organisations/", "/councils/plans/",
                "/assessments/"],
    "auditor": ["/audit/", "/insights/nation/TH/", "/insights/province/50/", "/funds/", "/people/households/"],
}


def _violations(page) -> list:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (rules) => (await axe.run(document, {runOnly: rules})).violations.map(v => `${v.id} (${v.impact},
            ${v.nodes.length}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)""",
        RULES)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_main_pages_pass_axe(demo_server, browser, width):
    found = {}
    for user, paths in PAGES.items():
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="th-TH", bypass_csp=True)
        page = context.new_page()
        if user:
            page.goto(demo_server + "/accounts/login/")
            page.fill("#id_username", user)
            page.fill("#id_password", PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url, user
        for path in paths:
            response = page.goto(demo_server + path)
            page.wait_for_load_state()
            assert response.status == 200, f"{user} {path}: {response.status}"
            if problems := _violations(page):
                found[f"{user or 'public'} {path}"] = problems
        if user == "treasurer":  # a form sent back with mistakes: the summary, the marked fields
            page.goto(demo_server + f"/funds/{CODE}/members/new/")
            page.fill("#id_national_id", "1234")
            page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
            page.locator("main form.form button[type=submit]").first.click()
            page.wait_for_load_state()
            assert page.locator("#error-summary").count() == 1
            if problems := _violations(page):
                found[f"{user} member form with mistakes"] = problems
        context.close()
    assert found == {}
