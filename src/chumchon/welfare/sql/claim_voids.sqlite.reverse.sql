DROP TRIGGER IF EXISTS welfare_claimpaymentvoid_belongs;
DROP TRIGGER IF EXISTS welfare_claimpaymentvoid_no_delete;
DROP TRIGGER IF EXISTS welfare_claimpaymentvoid_no_update;
