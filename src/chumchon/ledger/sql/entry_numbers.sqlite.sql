-- Entry numbers (เลขที่รายการ), kept by SQLite itself (see JournalEntry.number): given when an entry is posted,
-- 1, 2, 3 … in the order of posting within its book and the fiscal year (B.E.) of its date, in the posting's own
-- transaction (a posting rolled back gives its number back), never given by hand, never changed.
-- Needs ledger_rules (the posting guard row, whose value 2 means "the numbering trigger is writing").

DROP TRIGGER IF EXISTS ledger_entry_posted_guard;

-- A posted entry never changes, except for the number this rule's own trigger writes into it right after posting.
CREATE TRIGGER ledger_entry_posted_guard BEFORE UPDATE ON ledger_journalentry
WHEN OLD.status = 'posted' AND COALESCE((SELECT active FROM ledger_posting_guard), 0) <> 2
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ ให้กลับรายการแทน (a posted entry cannot change: reverse it)');
END;

CREATE TRIGGER ledger_entry_number_insert_guard BEFORE INSERT ON ledger_journalentry
WHEN NEW.number IS NOT NULL OR NEW.fiscal_year IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'เลขที่รายการได้เมื่อผ่านบัญชีเท่านั้น (an entry is numbered when it is posted, never by hand)');
END;

CREATE TRIGGER ledger_entry_number_draft_guard BEFORE UPDATE OF number, fiscal_year ON ledger_journalentry
WHEN OLD.status = 'draft' AND (NEW.number IS NOT OLD.number OR NEW.fiscal_year IS NOT OLD.fiscal_year)
BEGIN
    SELECT RAISE(ABORT, 'เลขที่รายการได้เมื่อผ่านบัญชีเท่านั้น (an entry is numbered when it is posted, never by hand)');
END;

CREATE TRIGGER ledger_entry_number AFTER UPDATE OF status ON ledger_journalentry
WHEN OLD.status = 'draft' AND NEW.status = 'posted'
BEGIN
    UPDATE ledger_posting_guard SET active = 2;
    INSERT INTO ledger_entrysequence (book_id, fiscal_year, last)
    VALUES (NEW.book_id, CAST(substr(NEW.date, 1, 4) AS INTEGER) + 543 + (CAST(substr(NEW.date, 6, 2) AS INTEGER) >= 10), 1)
    ON CONFLICT (book_id, fiscal_year) DO UPDATE SET last = last + 1;
    UPDATE ledger_journalentry SET
        fiscal_year = CAST(substr(NEW.date, 1, 4) AS INTEGER) + 543 + (CAST(substr(NEW.date, 6, 2) AS INTEGER) >= 10),
        number = (SELECT s.last FROM ledger_entrysequence s WHERE s.book_id = NEW.book_id AND s.fiscal_year =
                  CAST(substr(NEW.date, 1, 4) AS INTEGER) + 543 + (CAST(substr(NEW.date, 6, 2) AS INTEGER) >= 10))
    WHERE id = NEW.id;
    UPDATE ledger_posting_guard SET active = 0;
END;

-- The sequences move only with postings (and from inside the trigger above).
CREATE TRIGGER ledger_entry_sequence_insert_guard BEFORE INSERT ON ledger_entrysequence
WHEN COALESCE((SELECT active FROM ledger_posting_guard), 0) <> 2
BEGIN
    SELECT RAISE(ABORT, 'เลขที่รายการเดินได้จากการผ่านบัญชีเท่านั้น (entry numbers move only by posting)');
END;

CREATE TRIGGER ledger_entry_sequence_update_guard BEFORE UPDATE ON ledger_entrysequence
WHEN COALESCE((SELECT active FROM ledger_posting_guard), 0) <> 2
BEGIN
    SELECT RAISE(ABORT, 'เลขที่รายการเดินได้จากการผ่านบัญชีเท่านั้น (entry numbers move only by posting)');
END;

CREATE TRIGGER ledger_entry_sequence_delete_guard BEFORE DELETE ON ledger_entrysequence
BEGIN
    SELECT RAISE(ABORT, 'เลขที่รายการเดินได้จากการผ่านบัญชีเท่านั้น (entry numbers move only by posting)');
END;
