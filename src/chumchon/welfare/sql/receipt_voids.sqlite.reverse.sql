DROP TRIGGER IF EXISTS welfare_contributionvoid_belongs;
DROP TRIGGER IF EXISTS welfare_contributionvoid_no_delete;
DROP TRIGGER IF EXISTS welfare_contributionvoid_no_update;
