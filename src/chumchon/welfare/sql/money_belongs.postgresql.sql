-- Money documents belong to one fund: a receipt's member and journal entry, a grant's and a collection sheet's
-- entry, a claim's member and (once paid) entry are the fund's own — the entry in the fund's book. Nothing in the
-- foreign keys says so; a writer that mixed two funds up would put money in the wrong books.
--
-- Receipts come by the million (an imported history): they are checked once a statement, set-based, over the
-- rows the statement inserted (a transition table), each distinct member and entry looked at once.
CREATE OR REPLACE FUNCTION welfare_receipts_belong() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.fund_id, n.member_id INTO bad
      FROM (SELECT DISTINCT fund_id, membership_id AS member_id FROM new_rows) n
      LEFT JOIN welfare_membership m ON m.id = n.member_id
     WHERE m.fund_id IS DISTINCT FROM n.fund_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ใบเสร็จของกองทุน % ระบุสมาชิก (id %) ของกองทุนอื่น (a receipt of fund % names member % of another fund)',
            bad.fund_id, bad.member_id, bad.fund_id, bad.member_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT n.fund_id, n.entry_id INTO bad
      FROM (SELECT DISTINCT fund_id, entry_id FROM new_rows) n
      LEFT JOIN ledger_journalentry e ON e.id = n.entry_id
      LEFT JOIN ledger_book b ON b.id = e.book_id
     WHERE b.organisation_id IS DISTINCT FROM n.fund_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ใบเสร็จของกองทุน % ลงรายการบัญชี (id %) ที่ไม่ได้อยู่ในสมุดบัญชีของกองทุนนั้น (a receipt of fund % is posted by entry % outside the fund''s book)',
            bad.fund_id, bad.entry_id, bad.fund_id, bad.entry_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER welfare_contribution_belongs AFTER INSERT ON welfare_contribution
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION welfare_receipts_belong();

-- Grants, collection sheets and claims come a few at a time: checked row by row.
CREATE OR REPLACE FUNCTION welfare_document_belongs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.entry_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_journalentry e JOIN ledger_book b ON b.id = e.book_id
         WHERE e.id = NEW.entry_id AND b.organisation_id = NEW.fund_id) THEN
        RAISE EXCEPTION '% ของกองทุน % ลงรายการบัญชี (id %) ที่ไม่ได้อยู่ในสมุดบัญชีของกองทุนนั้น (% of fund % is posted by entry % outside the fund''s book)',
            TG_TABLE_NAME, NEW.fund_id, NEW.entry_id, TG_TABLE_NAME, NEW.fund_id, NEW.entry_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION welfare_claim_belongs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM welfare_membership m WHERE m.id = NEW.membership_id AND m.fund_id = NEW.fund_id) THEN
        RAISE EXCEPTION 'คำขอรับสวัสดิการของกองทุน % ระบุสมาชิก (id %) ของกองทุนอื่น (a claim of fund % names member % of another fund)',
            NEW.fund_id, NEW.membership_id, NEW.fund_id, NEW.membership_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER welfare_grant_belongs BEFORE INSERT ON welfare_grant
    FOR EACH ROW EXECUTE FUNCTION welfare_document_belongs();

CREATE TRIGGER welfare_collectionsheet_belongs BEFORE INSERT ON welfare_collectionsheet
    FOR EACH ROW EXECUTE FUNCTION welfare_document_belongs();

CREATE TRIGGER welfare_claim_entry_belongs BEFORE INSERT OR UPDATE OF entry_id, fund_id ON welfare_claim
    FOR EACH ROW EXECUTE FUNCTION welfare_document_belongs();

CREATE TRIGGER welfare_claim_member_belongs BEFORE INSERT OR UPDATE OF membership_id, fund_id ON welfare_claim
    FOR EACH ROW EXECUTE FUNCTION welfare_claim_belongs();
