DROP TRIGGER IF EXISTS ledger_entry_sequence_delete_guard;
DROP TRIGGER IF EXISTS ledger_entry_sequence_update_guard;
DROP TRIGGER IF EXISTS ledger_entry_sequence_insert_guard;
DROP TRIGGER IF EXISTS ledger_entry_number;
DROP TRIGGER IF EXISTS ledger_entry_number_draft_guard;
DROP TRIGGER IF EXISTS ledger_entry_number_insert_guard;
DROP TRIGGER IF EXISTS ledger_entry_posted_guard;

-- ledger_rules' guard as it was before entries had numbers
CREATE TRIGGER ledger_entry_posted_guard BEFORE UPDATE ON ledger_journalentry
WHEN OLD.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ ให้กลับรายการแทน (a posted entry cannot change: reverse it)');
END;
