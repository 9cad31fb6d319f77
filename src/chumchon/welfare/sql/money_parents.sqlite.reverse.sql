DROP TRIGGER IF EXISTS welfare_journalentry_id_stays;
DROP TRIGGER IF EXISTS welfare_journalentry_keeps_receipts;
DROP TRIGGER IF EXISTS welfare_membership_id_stays;
DROP TRIGGER IF EXISTS welfare_membership_keeps_receipts;
