-- Ledger invariants kept by SQLite itself (see ledger/models.py). Amounts are compared rounded to the satang
-- because SQLite stores decimals as floating point.

CREATE TABLE ledger_posting_guard (active INTEGER NOT NULL);
INSERT INTO ledger_posting_guard (active) VALUES (0);

-- Lines: added, changed or removed only while their entry is a draft; book, date and account must agree.
CREATE TRIGGER ledger_line_insert_guard BEFORE INSERT ON ledger_line
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ (lines of a posted entry cannot change)')
    WHERE (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) <> 'draft';
    SELECT RAISE(ABORT, 'บรรทัดต้องอยู่ในสมุดและวันที่เดียวกับรายการ (line book/date must match its entry)')
    WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = NEW.entry_id
                      AND e.book_id = NEW.book_id AND e.date = NEW.date);
    SELECT RAISE(ABORT, 'บัญชีไม่ได้อยู่ในสมุดนี้ (the account belongs to another book)')
    WHERE (SELECT book_id FROM ledger_account WHERE id = NEW.account_id) <> NEW.book_id;
END;

CREATE TRIGGER ledger_line_update_guard BEFORE UPDATE ON ledger_line
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ (lines of a posted entry cannot change)')
    WHERE (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) <> 'draft'
       OR (SELECT status FROM ledger_journalentry WHERE id = NEW.entry_id) <> 'draft';
    SELECT RAISE(ABORT, 'บรรทัดต้องอยู่ในสมุดและวันที่เดียวกับรายการ (line book/date must match its entry)')
    WHERE NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = NEW.entry_id
                      AND e.book_id = NEW.book_id AND e.date = NEW.date)
       OR (SELECT book_id FROM ledger_account WHERE id = NEW.account_id) <> NEW.book_id;
END;

CREATE TRIGGER ledger_line_delete_guard BEFORE DELETE ON ledger_line
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วลบไม่ได้ (lines of a posted entry cannot be deleted)')
    WHERE (SELECT status FROM ledger_journalentry WHERE id = OLD.entry_id) <> 'draft';
END;

-- Entries: born as drafts; posting checks balance and period; posted entries never change or disappear.
CREATE TRIGGER ledger_entry_insert_guard BEFORE INSERT ON ledger_journalentry
WHEN NEW.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'รายการต้องสมดุลก่อนผ่านบัญชี: บันทึกเป็นร่างก่อน (an entry is inserted as a draft, then posted balanced)');
END;

CREATE TRIGGER ledger_entry_posted_guard BEFORE UPDATE ON ledger_journalentry
WHEN OLD.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ ให้กลับรายการแทน (a posted entry cannot change: reverse it)');
END;

CREATE TRIGGER ledger_entry_draft_guard BEFORE UPDATE ON ledger_journalentry
WHEN OLD.status = 'draft' AND (NEW.book_id <> OLD.book_id
     OR (NEW.date <> OLD.date AND EXISTS (SELECT 1 FROM ledger_line WHERE entry_id = OLD.id)))
BEGIN
    SELECT RAISE(ABORT, 'เปลี่ยนสมุดหรือวันที่ของรายการที่มีบรรทัดแล้วไม่ได้ (cannot move an entry with lines)');
END;

CREATE TRIGGER ledger_entry_post_check BEFORE UPDATE OF status ON ledger_journalentry
WHEN OLD.status = 'draft' AND NEW.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'รายการไม่สมดุล: เดบิตต้องเท่ากับเครดิตและมากกว่าศูนย์ (entry does not balance: debits must equal credits and be above zero)')
    WHERE (SELECT ROUND(COALESCE(SUM(debit), 0), 2) FROM ledger_line WHERE entry_id = NEW.id)
          <> (SELECT ROUND(COALESCE(SUM(credit), 0), 2) FROM ledger_line WHERE entry_id = NEW.id)
       OR (SELECT COALESCE(SUM(debit), 0) FROM ledger_line WHERE entry_id = NEW.id) <= 0;
    SELECT RAISE(ABORT, 'งวดบัญชีนี้ปิดแล้ว (the period of this date is closed)')
    WHERE EXISTS (SELECT 1 FROM ledger_period p WHERE p.book_id = NEW.book_id AND p.status = 'closed'
                  AND NEW.date BETWEEN p.start AND p."end");
END;

CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_journalentry
WHEN OLD.status = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'รายการที่ผ่านบัญชีแล้วลบไม่ได้ (a posted entry cannot be deleted)');
END;

-- Running balances move with postings only.
CREATE TRIGGER ledger_entry_post_totals AFTER UPDATE OF status ON ledger_journalentry
WHEN OLD.status = 'draft' AND NEW.status = 'posted'
BEGIN
    UPDATE ledger_posting_guard SET active = 1;
    UPDATE ledger_account SET
        debit_total = ROUND(debit_total + (SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l
                                           WHERE l.entry_id = NEW.id AND l.account_id = ledger_account.id), 2),
        credit_total = ROUND(credit_total + (SELECT COALESCE(SUM(l.credit), 0) FROM ledger_line l
                                             WHERE l.entry_id = NEW.id AND l.account_id = ledger_account.id), 2)
    WHERE id IN (SELECT account_id FROM ledger_line WHERE entry_id = NEW.id);
    UPDATE ledger_posting_guard SET active = 0;
END;

CREATE TRIGGER ledger_account_totals_guard BEFORE UPDATE OF debit_total, credit_total ON ledger_account
WHEN (NEW.debit_total <> OLD.debit_total OR NEW.credit_total <> OLD.credit_total)
     AND COALESCE((SELECT active FROM ledger_posting_guard), 0) <> 1
BEGIN
    SELECT RAISE(ABORT, 'ยอดบัญชีเปลี่ยนได้จากการผ่านรายการเท่านั้น (account totals change only by posting)');
END;

CREATE TRIGGER ledger_posting_guard_no_delete BEFORE DELETE ON ledger_posting_guard
BEGIN
    SELECT RAISE(ABORT, 'ledger_posting_guard is part of the ledger rules and cannot be removed');
END;

CREATE TRIGGER ledger_posting_guard_one_row BEFORE INSERT ON ledger_posting_guard
BEGIN
    SELECT RAISE(ABORT, 'ledger_posting_guard holds exactly one row');
END;

CREATE TRIGGER ledger_account_move_guard BEFORE UPDATE OF book_id ON ledger_account
WHEN NEW.book_id <> OLD.book_id
     AND (OLD.debit_total <> 0 OR OLD.credit_total <> 0 OR EXISTS (SELECT 1 FROM ledger_line WHERE account_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'บัญชีที่มีรายการย้ายสมุดไม่ได้ (an account with lines cannot move to another book)');
END;

CREATE TRIGGER ledger_account_insert_guard BEFORE INSERT ON ledger_account
WHEN NEW.debit_total <> 0 OR NEW.credit_total <> 0
BEGIN
    SELECT RAISE(ABORT, 'บัญชีใหม่ต้องเริ่มที่ศูนย์ (a new account starts at zero: post an opening entry)');
END;

CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account
WHEN OLD.debit_total <> 0 OR OLD.credit_total <> 0 OR EXISTS (SELECT 1 FROM ledger_line WHERE account_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'บัญชีที่มีรายการลบไม่ได้ (an account with lines cannot be deleted)');
END;
