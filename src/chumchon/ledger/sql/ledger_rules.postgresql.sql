-- Ledger invariants kept by PostgreSQL itself (see ledger/models.py).

CREATE OR REPLACE FUNCTION ledger_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO entry_status FROM ledger_journalentry WHERE id = OLD.entry_id;
        IF entry_status <> 'draft' THEN
            RAISE EXCEPTION 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ (lines of a posted entry cannot change)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
    END IF;
    SELECT status INTO entry_status FROM ledger_journalentry WHERE id = NEW.entry_id;
    IF entry_status <> 'draft' THEN
        RAISE EXCEPTION 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ (lines of a posted entry cannot change)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = NEW.entry_id
                   AND e.book_id = NEW.book_id AND e.date = NEW.date) THEN
        RAISE EXCEPTION 'บรรทัดต้องอยู่ในสมุดและวันที่เดียวกับรายการ (line book/date must match its entry)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (SELECT book_id FROM ledger_account WHERE id = NEW.account_id) <> NEW.book_id THEN
        RAISE EXCEPTION 'บัญชีไม่ได้อยู่ในสมุดนี้ (the account belongs to another book)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_line_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_line
    FOR EACH ROW EXECUTE FUNCTION ledger_line_guard();

CREATE OR REPLACE FUNCTION ledger_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'รายการต้องสมดุลก่อนผ่านบัญชี: บันทึกเป็นร่างก่อน (an entry is inserted as a draft, then posted balanced)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'posted' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'รายการที่ผ่านบัญชีแล้วลบไม่ได้ (a posted entry cannot be deleted)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RAISE EXCEPTION 'รายการที่ผ่านบัญชีแล้วแก้ไขไม่ได้ ให้กลับรายการแทน (a posted entry cannot change: reverse it)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.book_id <> OLD.book_id OR (NEW.date <> OLD.date AND EXISTS (
            SELECT 1 FROM ledger_line WHERE entry_id = OLD.id)) THEN
        RAISE EXCEPTION 'เปลี่ยนสมุดหรือวันที่ของรายการที่มีบรรทัดแล้วไม่ได้ (cannot move an entry with lines)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status = 'posted' AND EXISTS (
            SELECT 1 FROM ledger_period p WHERE p.book_id = NEW.book_id AND p.status = 'closed'
            AND NEW.date BETWEEN p.start AND p."end") THEN
        RAISE EXCEPTION 'งวดบัญชีนี้ปิดแล้ว (the period of this date is closed)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard();

-- The balance check, deferred to commit (the django-hordak pattern): a posted entry balances, above zero.
CREATE OR REPLACE FUNCTION ledger_entry_balance_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total_debit numeric;
    total_credit numeric;
BEGIN
    SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) INTO total_debit, total_credit
    FROM ledger_line WHERE entry_id = NEW.id;
    IF total_debit <> total_credit OR total_debit <= 0 THEN
        RAISE EXCEPTION 'รายการไม่สมดุล: เดบิตต้องเท่ากับเครดิตและมากกว่าศูนย์ (entry does not balance: debits must equal credits and be above zero) entry %: % / %',
            NEW.id, total_debit, total_credit USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER ledger_entry_balance_check AFTER INSERT OR UPDATE ON ledger_journalentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'posted')
    EXECUTE FUNCTION ledger_entry_balance_check();

-- Running balances move with postings only (and only from inside this trigger).
CREATE OR REPLACE FUNCTION ledger_entry_post_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_account a SET debit_total = a.debit_total + s.debit, credit_total = a.credit_total + s.credit
    FROM (SELECT account_id, SUM(debit) AS debit, SUM(credit) AS credit FROM ledger_line
          WHERE entry_id = NEW.id GROUP BY account_id) s
    WHERE a.id = s.account_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_entry_post_totals AFTER UPDATE OF status ON ledger_journalentry
    FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'posted')
    EXECUTE FUNCTION ledger_entry_post_totals();

CREATE OR REPLACE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.debit_total <> 0 OR NEW.credit_total <> 0 THEN
            RAISE EXCEPTION 'บัญชีใหม่ต้องเริ่มที่ศูนย์ (a new account starts at zero: post an opening entry)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.debit_total <> 0 OR OLD.credit_total <> 0 OR EXISTS (SELECT 1 FROM ledger_line WHERE account_id = OLD.id) THEN
            RAISE EXCEPTION 'บัญชีที่มีรายการลบไม่ได้ (an account with lines cannot be deleted)'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.book_id <> OLD.book_id AND (OLD.debit_total <> 0 OR OLD.credit_total <> 0
            OR EXISTS (SELECT 1 FROM ledger_line WHERE account_id = OLD.id)) THEN
        RAISE EXCEPTION 'บัญชีที่มีรายการย้ายสมุดไม่ได้ (an account with lines cannot move to another book)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.debit_total <> OLD.debit_total OR NEW.credit_total <> OLD.credit_total) AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'ยอดบัญชีเปลี่ยนได้จากการผ่านรายการเท่านั้น (account totals change only by posting)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_account_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_guard();

-- TRUNCATE fires no row triggers: refuse it outright on the books.
CREATE OR REPLACE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ลบรายการบัญชีทั้งตารางไม่ได้ (% cannot be truncated)', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER ledger_line_no_truncate BEFORE TRUNCATE ON ledger_line
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_journalentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
CREATE TRIGGER ledger_account_no_truncate BEFORE TRUNCATE ON ledger_account
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
