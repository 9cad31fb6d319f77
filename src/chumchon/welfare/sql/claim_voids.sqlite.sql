-- A claim payment's cancellation: written once, never changed or removed; of a paid claim of the fund, its
-- correcting entry in that fund's book for the amount paid.

CREATE TRIGGER welfare_claimpaymentvoid_no_update BEFORE UPDATE ON welfare_claimpaymentvoid
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบสำคัญจ่ายแก้ไขไม่ได้ (payment cancellations: welfare_claimpaymentvoid is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_claimpaymentvoid_no_delete BEFORE DELETE ON welfare_claimpaymentvoid
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบสำคัญจ่ายลบไม่ได้ (payment cancellations: welfare_claimpaymentvoid is append-only: DELETE refused)');
END;

CREATE TRIGGER welfare_claimpaymentvoid_belongs BEFORE INSERT ON welfare_claimpaymentvoid
WHEN NOT EXISTS (SELECT 1 FROM welfare_claim c, ledger_journalentry e, ledger_book b
                  WHERE c.id = NEW.claim_id AND c.fund_id = NEW.fund_id AND c.status = 'paid' AND e.id = NEW.entry_id
                    AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
                    AND ROUND(c.amount, 2) = (SELECT ROUND(COALESCE(SUM(l.debit), 0), 2) FROM ledger_line l WHERE l.entry_id = e.id))
BEGIN
    SELECT RAISE(ABORT, 'การยกเลิกใบสำคัญจ่ายต้องเป็นของคำขอที่จ่ายแล้วของกองทุนนั้น และรายการปรับปรุงต้องอยู่ในสมุดบัญชีของกองทุนด้วยจำนวนเงินเท่าที่จ่าย (a payment''s cancellation must be of a paid claim of the fund, its correcting entry in the fund''s book for the amount paid)');
END;
