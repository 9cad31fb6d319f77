DROP TRIGGER IF EXISTS welfare_contribution_parents_held ON welfare_contribution;
DROP TRIGGER IF EXISTS welfare_membership_no_truncate ON welfare_membership;
DROP TRIGGER IF EXISTS welfare_journalentry_keeps_receipts ON ledger_journalentry;
DROP TRIGGER IF EXISTS welfare_membership_keeps_receipts ON welfare_membership;
DROP FUNCTION IF EXISTS welfare_members_truncate();
DROP FUNCTION IF EXISTS welfare_receipt_parent_stays();
DROP FUNCTION IF EXISTS welfare_receipt_parents_held();
