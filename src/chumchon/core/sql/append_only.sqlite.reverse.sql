DROP TRIGGER IF EXISTS core_auditlog_no_update;
DROP TRIGGER IF EXISTS core_auditlog_no_delete;
