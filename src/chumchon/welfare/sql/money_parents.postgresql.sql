-- A receipt's member and journal entry have no foreign key: a key was one more check a receipt, on PostgreSQL a
-- trigger query each at commit, paid by every receipt of an imported history. money_belongs checks, once a
-- statement, that they exist and are the receipt's fund's own. Here, as the keys did: the statement's members and
-- entries are locked (KEY SHARE, once each), so that nobody removes them while the receipt is being written, and
-- afterwards a member or journal entry that receipts name is not removed and its id does not change; the members
-- are not truncated while there is any receipt (the journal entries never are: ledger_rules).
CREATE OR REPLACE FUNCTION welfare_receipt_parents_held() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wanted bigint;
    held bigint;
BEGIN
    SELECT count(DISTINCT membership_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO held FROM (SELECT m.id FROM welfare_membership m
                                     WHERE m.id IN (SELECT membership_id FROM new_rows) FOR KEY SHARE) AS l;
    IF held < wanted THEN
        RAISE EXCEPTION 'ใบเสร็จระบุสมาชิกที่ไม่มีอยู่ (a receipt names a member that is not there)'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT count(DISTINCT entry_id) INTO wanted FROM new_rows;
    SELECT count(*) INTO held FROM (SELECT e.id FROM ledger_journalentry e
                                     WHERE e.id IN (SELECT entry_id FROM new_rows) FOR KEY SHARE) AS l;
    IF held < wanted THEN
        RAISE EXCEPTION 'ใบเสร็จระบุรายการบัญชีที่ไม่มีอยู่ (a receipt names a journal entry that is not there)'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER welfare_contribution_parents_held AFTER INSERT ON welfare_contribution
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION welfare_receipt_parents_held();

CREATE OR REPLACE FUNCTION welfare_receipt_parent_stays() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'welfare_membership' AND EXISTS (
            SELECT 1 FROM welfare_contribution WHERE membership_id = OLD.id) THEN
        RAISE EXCEPTION 'สมาชิก (id %) มีใบเสร็จเงินสมทบ จึงลบหรือเปลี่ยนรหัสไม่ได้ (member % has contribution receipts: it cannot be removed or renumbered)',
            OLD.id, OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_TABLE_NAME = 'ledger_journalentry' AND EXISTS (
            SELECT 1 FROM welfare_contribution WHERE entry_id = OLD.id) THEN
        RAISE EXCEPTION 'รายการบัญชี (id %) มีใบเสร็จเงินสมทบ จึงลบหรือเปลี่ยนรหัสไม่ได้ (journal entry % has contribution receipts: it cannot be removed or renumbered)',
            OLD.id, OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER welfare_membership_keeps_receipts BEFORE DELETE OR UPDATE OF id ON welfare_membership
    FOR EACH ROW EXECUTE FUNCTION welfare_receipt_parent_stays();

CREATE TRIGGER welfare_journalentry_keeps_receipts BEFORE DELETE OR UPDATE OF id ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION welfare_receipt_parent_stays();

CREATE OR REPLACE FUNCTION welfare_members_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM welfare_contribution) THEN
        RAISE EXCEPTION 'ลบสมาชิกทั้งตารางไม่ได้ขณะที่มีใบเสร็จเงินสมทบ (welfare_membership cannot be truncated while there are contribution receipts)'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER welfare_membership_no_truncate BEFORE TRUNCATE ON welfare_membership
    FOR EACH STATEMENT EXECUTE FUNCTION welfare_members_truncate();
