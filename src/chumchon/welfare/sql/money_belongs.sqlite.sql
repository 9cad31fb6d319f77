-- Money documents belong to one fund: a receipt's member and journal entry, a grant's and a collection sheet's
-- entry, a claim's member and (once paid) entry are the fund's own — the entry in the fund's book. SQLite has no
-- statement triggers: each row is checked (two lookups by primary key).
CREATE TRIGGER welfare_contribution_belongs BEFORE INSERT ON welfare_contribution
WHEN NOT EXISTS (SELECT 1 FROM welfare_membership m, ledger_journalentry e, ledger_book b
                  WHERE m.id = NEW.membership_id AND m.fund_id = NEW.fund_id AND e.id = NEW.entry_id
                    AND b.id = e.book_id AND b.organisation_id = NEW.fund_id)
BEGIN
    SELECT RAISE(ABORT, 'ใบเสร็จต้องเป็นของสมาชิกและสมุดบัญชีของกองทุนเดียวกัน (a receipt''s member and journal entry must belong to its fund)');
END;

CREATE TRIGGER welfare_grant_belongs BEFORE INSERT ON welfare_grant
WHEN NEW.fund_id IS NOT (SELECT b.organisation_id FROM ledger_journalentry e JOIN ledger_book b ON b.id = e.book_id
                          WHERE e.id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบจากภายนอกต้องลงในสมุดบัญชีของกองทุนนั้น (a grant''s journal entry must be in its fund''s book)');
END;

CREATE TRIGGER welfare_collectionsheet_belongs BEFORE INSERT ON welfare_collectionsheet
WHEN NEW.entry_id IS NOT NULL AND NEW.fund_id IS NOT (
    SELECT b.organisation_id FROM ledger_journalentry e JOIN ledger_book b ON b.id = e.book_id WHERE e.id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'ใบเก็บเงินสมทบต้องลงในสมุดบัญชีของกองทุนนั้น (a collection sheet''s journal entry must be in its fund''s book)');
END;

CREATE TRIGGER welfare_claim_member_belongs BEFORE INSERT ON welfare_claim
WHEN NEW.fund_id IS NOT (SELECT m.fund_id FROM welfare_membership m WHERE m.id = NEW.membership_id)
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการต้องเป็นของสมาชิกกองทุนนั้น (a claim''s member must belong to its fund)');
END;

CREATE TRIGGER welfare_claim_member_stays BEFORE UPDATE OF membership_id, fund_id ON welfare_claim
WHEN NEW.fund_id IS NOT (SELECT m.fund_id FROM welfare_membership m WHERE m.id = NEW.membership_id)
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการต้องเป็นของสมาชิกกองทุนนั้น (a claim''s member must belong to its fund)');
END;

CREATE TRIGGER welfare_claim_entry_belongs BEFORE INSERT ON welfare_claim
WHEN NEW.entry_id IS NOT NULL AND NEW.fund_id IS NOT (
    SELECT b.organisation_id FROM ledger_journalentry e JOIN ledger_book b ON b.id = e.book_id WHERE e.id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการต้องจ่ายจากสมุดบัญชีของกองทุนนั้น (a claim''s journal entry must be in its fund''s book)');
END;

CREATE TRIGGER welfare_claim_entry_stays BEFORE UPDATE OF entry_id, fund_id ON welfare_claim
WHEN NEW.entry_id IS NOT NULL AND NEW.fund_id IS NOT (
    SELECT b.organisation_id FROM ledger_journalentry e JOIN ledger_book b ON b.id = e.book_id WHERE e.id = NEW.entry_id)
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการต้องจ่ายจากสมุดบัญชีของกองทุนนั้น (a claim''s journal entry must be in its fund''s book)');
END;
