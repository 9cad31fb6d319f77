-- Append-only tables: audit rows and personal-data access rows can be inserted, never changed or removed.
CREATE OR REPLACE FUNCTION chumchon_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ตาราง % บันทึกเพิ่มได้อย่างเดียว (% is append-only: % refused)', TG_TABLE_NAME, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION chumchon_refuse_change();

-- TRUNCATE fires no row triggers: refuse it on the audit log too.
CREATE OR REPLACE FUNCTION chumchon_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ตาราง % ลบทั้งตารางไม่ได้ (% cannot be truncated)', TG_TABLE_NAME, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER core_auditlog_no_truncate BEFORE TRUNCATE ON core_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();
