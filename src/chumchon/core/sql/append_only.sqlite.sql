-- Append-only tables: audit rows can be inserted, never changed or removed.
CREATE TRIGGER core_auditlog_no_update BEFORE UPDATE ON core_auditlog
BEGIN
    SELECT RAISE(ABORT, 'ตาราง core_auditlog บันทึกเพิ่มได้อย่างเดียว (core_auditlog is append-only: UPDATE refused)');
END;

CREATE TRIGGER core_auditlog_no_delete BEFORE DELETE ON core_auditlog
BEGIN
    SELECT RAISE(ABORT, 'ตาราง core_auditlog บันทึกเพิ่มได้อย่างเดียว (core_auditlog is append-only: DELETE refused)');
END;
