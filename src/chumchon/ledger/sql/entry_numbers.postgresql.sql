-- Entry numbers (เลขที่รายการ), kept by PostgreSQL itself (see JournalEntry.number): given when an entry is
-- posted, 1, 2, 3 … in the order of posting within its book and the fiscal year (B.E.) of its date. The sequence
-- row is taken in the posting's own transaction: postings to one book's year queue for it, and a posting rolled
-- back gives its number back (no gaps). Never given by hand, never changed (ledger_entry_guard, which runs first,
-- refuses any change to a posted entry).

CREATE OR REPLACE FUNCTION ledger_entry_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fy integer;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'draft' AND NEW.status = 'posted' THEN
        fy := EXTRACT(YEAR FROM NEW.date)::integer + 543 + CASE WHEN EXTRACT(MONTH FROM NEW.date) >= 10 THEN 1 ELSE 0 END;
        INSERT INTO ledger_entrysequence AS s (book_id, fiscal_year, last) VALUES (NEW.book_id, fy, 1)
        ON CONFLICT (book_id, fiscal_year) DO UPDATE SET last = s.last + 1
        RETURNING s.last INTO NEW.number;
        NEW.fiscal_year := fy;
        RETURN NEW;
    END IF;
    IF (TG_OP = 'INSERT' AND (NEW.number IS NOT NULL OR NEW.fiscal_year IS NOT NULL))
            OR (TG_OP = 'UPDATE' AND (NEW.number IS DISTINCT FROM OLD.number
                                      OR NEW.fiscal_year IS DISTINCT FROM OLD.fiscal_year)) THEN
        RAISE EXCEPTION 'เลขที่รายการได้เมื่อผ่านบัญชีเท่านั้น (an entry is numbered when it is posted, never by hand)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entry_number BEFORE INSERT OR UPDATE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_number();

-- The sequences move only with postings (from inside the trigger above).
CREATE OR REPLACE FUNCTION ledger_entry_sequence_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'เลขที่รายการเดินได้จากการผ่านบัญชีเท่านั้น (entry numbers move only by posting)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ledger_entry_sequence_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_entrysequence
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_sequence_guard();
CREATE TRIGGER ledger_entry_sequence_no_truncate BEFORE TRUNCATE ON ledger_entrysequence
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
