-- Money documents: a contribution receipt, a collection sheet and matching money received are issued once, posted
-- to the ledger with them, and never changed or removed afterwards — as the ledger's posted entries are not. A
-- mistake is put right in the books (a correcting entry), not by rewriting the receipt. Uses core's
-- chumchon_refuse_change() and chumchon_refuse_truncate(). Inserting costs nothing: the triggers fire on
-- UPDATE, DELETE and TRUNCATE only.

CREATE TRIGGER welfare_contribution_append_only BEFORE UPDATE OR DELETE ON welfare_contribution
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_contribution_no_truncate BEFORE TRUNCATE ON welfare_contribution
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();

CREATE TRIGGER welfare_collectionsheet_append_only BEFORE UPDATE OR DELETE ON welfare_collectionsheet
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_collectionsheet_no_truncate BEFORE TRUNCATE ON welfare_collectionsheet
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();

CREATE TRIGGER welfare_grant_append_only BEFORE UPDATE OR DELETE ON welfare_grant
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER welfare_grant_no_truncate BEFORE TRUNCATE ON welfare_grant
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();
