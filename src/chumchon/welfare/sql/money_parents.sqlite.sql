-- A receipt's member and journal entry have no foreign key: money_belongs checks that they exist and are the
-- receipt's fund's own when the receipt is written (one lookup a row instead of a key's and the check's). These
-- keep them afterwards, as the keys did: a member or journal entry that receipts name is not removed, and its id
-- does not change. (SQLite writes one transaction at a time: nothing can remove them meanwhile.)
CREATE TRIGGER welfare_membership_keeps_receipts BEFORE DELETE ON welfare_membership
WHEN EXISTS (SELECT 1 FROM welfare_contribution WHERE membership_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'สมาชิกที่มีใบเสร็จเงินสมทบลบไม่ได้ (a member with contribution receipts cannot be removed)');
END;

CREATE TRIGGER welfare_membership_id_stays BEFORE UPDATE OF id ON welfare_membership
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM welfare_contribution WHERE membership_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'สมาชิกที่มีใบเสร็จเงินสมทบเปลี่ยนรหัสไม่ได้ (a member with contribution receipts cannot be renumbered)');
END;

CREATE TRIGGER welfare_journalentry_keeps_receipts BEFORE DELETE ON ledger_journalentry
WHEN EXISTS (SELECT 1 FROM welfare_contribution WHERE entry_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'รายการบัญชีที่มีใบเสร็จเงินสมทบลบไม่ได้ (a journal entry with contribution receipts cannot be removed)');
END;

CREATE TRIGGER welfare_journalentry_id_stays BEFORE UPDATE OF id ON ledger_journalentry
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM welfare_contribution WHERE entry_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'รายการบัญชีที่มีใบเสร็จเงินสมทบเปลี่ยนรหัสไม่ได้ (a journal entry with contribution receipts cannot be renumbered)');
END;
