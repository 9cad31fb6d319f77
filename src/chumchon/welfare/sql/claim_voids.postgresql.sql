-- A claim payment's cancellation (welfare_claimpaymentvoid) is written once and never changed or removed, as the
-- paid claim is not; it belongs to the claim's fund, the claim was paid, and its correcting entry is in that
-- fund's book and moves exactly the claim's amount. Uses core's chumchon_refuse_change() and
-- chumchon_refuse_truncate().

CREATE TRIGGER welfare_claimpaymentvoid_append_only BEFORE UPDATE OR DELETE ON welfare_claimpaymentvoid
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_claimpaymentvoid_no_truncate BEFORE TRUNCATE ON welfare_claimpaymentvoid
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();

CREATE FUNCTION welfare_claimpaymentvoid_belongs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM welfare_claim c, ledger_journalentry e, ledger_book b
         WHERE c.id = NEW.claim_id AND c.fund_id = NEW.fund_id AND c.status = 'paid' AND e.id = NEW.entry_id
           AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
           AND c.amount = (SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l WHERE l.entry_id = e.id)) THEN
        RAISE EXCEPTION 'การยกเลิกใบสำคัญจ่ายต้องเป็นของคำขอที่จ่ายแล้วของกองทุนนั้น และรายการปรับปรุงต้องอยู่ในสมุดบัญชีของกองทุนด้วยจำนวนเงินเท่าที่จ่าย (a payment''s cancellation must be of a paid claim of the fund, its correcting entry in the fund''s book for the amount paid)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_claimpaymentvoid_belongs BEFORE INSERT ON welfare_claimpaymentvoid
    FOR EACH ROW EXECUTE FUNCTION welfare_claimpaymentvoid_belongs();
