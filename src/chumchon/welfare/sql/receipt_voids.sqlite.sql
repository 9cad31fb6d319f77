-- A receipt's cancellation: written once, never changed or removed; of the receipt's fund, its correcting entry in
-- that fund's book for the receipt's amount.

CREATE TRIGGER welfare_contributionvoid_no_update BEFORE UPDATE ON welfare_contributionvoid
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบเสร็จแก้ไขไม่ได้ (receipt cancellations: welfare_contributionvoid is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_contributionvoid_no_delete BEFORE DELETE ON welfare_contributionvoid
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบเสร็จลบไม่ได้ (receipt cancellations: welfare_contributionvoid is append-only: DELETE refused)');
END;

CREATE TRIGGER welfare_contributionvoid_belongs BEFORE INSERT ON welfare_contributionvoid
WHEN NOT EXISTS (SELECT 1 FROM welfare_contribution c, ledger_journalentry e, ledger_book b
                  WHERE c.id = NEW.contribution_id AND c.fund_id = NEW.fund_id AND e.id = NEW.entry_id
                    AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
                    AND ROUND(c.amount, 2) = (SELECT ROUND(COALESCE(SUM(l.debit), 0), 2) FROM ledger_line l WHERE l.entry_id = e.id))
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบเสร็จต้องเป็นของกองทุนของใบเสร็จ และรายการปรับปรุงต้องอยู่ในสมุดบัญชีของกองทุนนั้นด้วยจำนวนเงินเท่าใบเสร็จ (a receipt''s cancellation must belong to the receipt''s fund, its correcting entry in that fund''s book for the receipt''s amount)');
END;
