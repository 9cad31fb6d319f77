-- Personal-data access rows can be inserted, never changed or removed (uses core's chumchon_refuse_change()).
CREATE TRIGGER people_personaldataaccess_append_only BEFORE UPDATE OR DELETE ON people_personaldataaccess
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

CREATE TRIGGER people_personaldataaccess_no_truncate BEFORE TRUNCATE ON people_personaldataaccess
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();
