-- A receipt's cancellation (welfare_contributionvoid) is written once and never changed or removed, as the receipt
-- is not; it belongs to the receipt's fund, and its correcting entry is in that fund's book and moves exactly the
-- receipt's amount. Uses core's chumchon_refuse_change() and chumchon_refuse_truncate().

CREATE TRIGGER welfare_contributionvoid_append_only BEFORE UPDATE OR DELETE ON welfare_contributionvoid
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_contributionvoid_no_truncate BEFORE TRUNCATE ON welfare_contributionvoid
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();

CREATE FUNCTION welfare_contributionvoid_belongs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM welfare_contribution c, ledger_journalentry e, ledger_book b
         WHERE c.id = NEW.contribution_id AND c.fund_id = NEW.fund_id AND e.id = NEW.entry_id
           AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
           AND c.amount = (SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l WHERE l.entry_id = e.id)) THEN
        RAISE EXCEPTION 'การยกเลิกใบเสร็จต้องเป็นของกองทุนของใบเสร็จ และรายการปรับปรุงต้องอยู่ในสมุดบัญชีของกองทุนนั้นด้วยจำนวนเงินเท่าใบเสร็จ (a receipt''s cancellation must belong to the receipt''s fund, its correcting entry in that fund''s book for the receipt''s amount)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_contributionvoid_belongs BEFORE INSERT ON welfare_contributionvoid
    FOR EACH ROW EXECUTE FUNCTION welfare_contributionvoid_belongs();
