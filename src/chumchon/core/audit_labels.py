"""What each audit action means, in words: the audit log shows these (in Thai when the page is Thai) with the
action's code beside, and offers them, by module, to filter on.

Every action a service records has its words here (``tests/core/test_audit_labels.py`` reads the code for the
actions it records and fails on one without); an action recorded by an older version and no longer known is shown
by its code.
"""

from django.utils.translation import gettext_lazy as _

MODULES = {
    "access": _("Access"),
    "assessments": _("Assessments"),
    "councils": _("Community councils"),
    "dataio": _("Import and export"),
    "geo": _("Areas"),
    "insights": _("Insights"),
    "ledger": _("Ledger"),
    "people": _("People"),
    "welfare": _("Welfare funds"),
}

ACTIONS = {
    "access.2fa_enrol": _("Authenticator app enrolled"),
    "access.denied": _("Access refused"),
    "access.password_change": _("Password changed"),
    "access.role_assign": _("Role assigned"),
    "assessments.assessment_answer": _("Assessment answers saved"),
    "assessments.assessment_recompute": _("Assessment scores recomputed"),
    "assessments.assessment_start": _("Assessment started"),
    "assessments.assessment_submit": _("Assessment submitted"),
    "assessments.instrument_new_year": _("Assessment form copied to a new year"),
    "assessments.instrument_revise": _("Assessment form revised"),
    "assessments.item_update": _("Assessment question changed"),
    "councils.council_create": _("Council registered"),
    "councils.council_update": _("Council changed"),
    "councils.meeting_record": _("Council meeting recorded"),
    "councils.member_seat": _("Council member seated"),
    "councils.member_term_end": _("Council member's term ended"),
    "councils.organisation_create": _("Community organisation registered"),
    "councils.organisation_update": _("Community organisation changed"),
    "councils.plan_create": _("Community plan created"),
    "councils.plan_item_add": _("Plan item added"),
    "councils.plan_item_link": _("Plan item linked to a proposal"),
    "councils.proposal_follow_up": _("Proposal followed up"),
    "councils.proposal_send": _("Proposal sent"),
    "councils.registration_create": _("Organisation's registration recorded"),
    "councils.registration_end": _("Organisation's registration ended"),
    "dataio.export": _("Records exported"),
    "dataio.fund_export": _("Whole fund exported (archive)"),
    "dataio.fund_import": _("Whole fund imported (archive)"),
    "dataio.import_contributions": _("Contribution history imported"),
    "dataio.import_councils": _("Councils imported"),
    "dataio.import_memberships": _("Fund members imported"),
    "dataio.import_opening_balances": _("Opening balances imported"),
    "dataio.import_organisations": _("Community organisations imported"),
    "dataio.import_payouts": _("Benefit payout history imported"),
    "dataio.import_people": _("People imported"),
    "dataio.job_cancel": _("Import cancelled"),
    "dataio.job_confirm": _("Import confirmed"),
    "dataio.job_create": _("File uploaded for import"),
    "dataio.job_done": _("Import finished"),
    "dataio.job_resume": _("Stalled import resumed"),
    "dataio.list_export": _("List downloaded"),
    "geo.load": _("Geography loaded"),
    "geo.local_administration_create": _("Local administration added"),
    "geo.regions_load": _("Regions loaded"),
    "insights.summaries_rebuild": _("Area summaries rebuilt"),
    "insights.synth_members": _("Synthetic members generated (benchmark)"),
    "ledger.bench_load": _("Benchmark postings loaded"),
    "ledger.book_create": _("Book opened"),
    "ledger.entry_post": _("Journal entry posted"),
    "ledger.entry_reverse": _("Journal entry reversed"),
    "ledger.period_close": _("Period closed"),
    "ledger.period_reopen": _("Period reopened"),
    "people.household_create": _("Household registered"),
    "people.person_create": _("Person registered"),
    "people.person_export": _("Everything held about a person exported"),
    "people.personal_data_reveal": _("Personal data shown"),
    "people.person_update": _("Person's details changed"),
    "welfare.benefit_rule_set": _("Benefit rule set"),
    "welfare.claim_approve": _("Claim approved"),
    "welfare.claim_pay": _("Claim paid"),
    "welfare.claim_reject": _("Claim rejected"),
    "welfare.claim_submit": _("Claim submitted"),
    "welfare.collection_sheet_post": _("Collection sheet posted"),
    "welfare.committee_seat": _("Committee member seated"),
    "welfare.contribution_receive": _("Contribution received"),
    "welfare.contribution_void": _("Receipt cancelled"),
    "welfare.claim_payment_void": _("Benefit payment cancelled"),
    "welfare.contribution_refund": _("Contributions refunded"),
    "welfare.fund_settings_update": _("Fund plan changed"),
    "welfare.fund_create": _("Fund opened"),
    "welfare.grant_receive": _("Matching money received"),
    "welfare.membership_end": _("Membership ended"),
    "welfare.membership_enrol": _("Member enrolled"),
    "welfare.membership_joined_on_correct": _("Joining date corrected"),
    "welfare.memberships_lapse": _("Memberships lapsed"),
    "welfare.opening_paid_through_set": _("Paid-through date set from the old books"),
    "welfare.pension_batch_prepare": _("Pension batch prepared"),
    "welfare.report_download": _("Report naming members downloaded"),
}


def action_label(code: str) -> str:
    """The words for an action; its code when it has none."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def action_choices() -> list:
    """The filter's choices: every module (all its actions), then its actions, grouped by module."""
    groups = []
    for module, name in sorted(MODULES.items(), key=lambda item: str(item[1])):
        actions = sorted(((code, str(label)) for code, label in ACTIONS.items() if code.startswith(f"{module}.")),
                         key=lambda item: item[1])
        groups.append((str(name), [(f"{module}.", _("All of “%(module)s”") % {"module": name}), *actions]))
    return groups
