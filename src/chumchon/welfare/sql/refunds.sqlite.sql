-- A contribution refund: written once, never changed or removed; of the fund's member, its entry in the fund's
-- book for the same amount.

CREATE TRIGGER welfare_contributionrefund_no_update BEFORE UPDATE ON welfare_contributionrefund
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบคืนแก้ไขไม่ได้ (contribution refunds: welfare_contributionrefund is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_contributionrefund_no_delete BEFORE DELETE ON welfare_contributionrefund
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบคืนลบไม่ได้ (contribution refunds: welfare_contributionrefund is append-only: DELETE refused)');
END;

CREATE TRIGGER welfare_contributionrefund_belongs BEFORE INSERT ON welfare_contributionrefund
WHEN NOT EXISTS (SELECT 1 FROM welfare_membership m, ledger_journalentry e, ledger_book b
                  WHERE m.id = NEW.membership_id AND m.fund_id = NEW.fund_id AND e.id = NEW.entry_id
                    AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
                    AND ROUND(NEW.amount, 2) = (SELECT ROUND(COALESCE(SUM(l.debit), 0), 2) FROM ledger_line l WHERE l.entry_id = e.id))
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบคืนต้องเป็นของสมาชิกกองทุนนั้น และรายการบัญชีต้องอยู่ในสมุดบัญชีของกองทุนด้วยจำนวนเงินเท่ากัน (a refund must be of the fund''s member, its entry in the fund''s book for the same amount)');
END;
