-- A contribution refund (welfare_contributionrefund) is written once and never changed or removed; it is of its
-- member's fund, and its entry is in that fund's book and moves exactly the refund. Uses core's
-- chumchon_refuse_change() and chumchon_refuse_truncate().

CREATE TRIGGER welfare_contributionrefund_append_only BEFORE UPDATE OR DELETE ON welfare_contributionrefund
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_contributionrefund_no_truncate BEFORE TRUNCATE ON welfare_contributionrefund
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();

CREATE FUNCTION welfare_contributionrefund_belongs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM welfare_membership m, ledger_journalentry e, ledger_book b
         WHERE m.id = NEW.membership_id AND m.fund_id = NEW.fund_id AND e.id = NEW.entry_id
           AND b.id = e.book_id AND b.organisation_id = NEW.fund_id
           AND NEW.amount = (SELECT COALESCE(SUM(l.debit), 0) FROM ledger_line l WHERE l.entry_id = e.id)) THEN
        RAISE EXCEPTION 'เงินสมทบคืนต้องเป็นของสมาชิกกองทุนนั้น และรายการบัญชีต้องอยู่ในสมุดบัญชีของกองทุนด้วยจำนวนเงินเท่ากัน (a refund must be of the fund''s member, its entry in the fund''s book for the same amount)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_contributionrefund_belongs BEFORE INSERT ON welfare_contributionrefund
    FOR EACH ROW EXECUTE FUNCTION welfare_contributionrefund_belongs();
