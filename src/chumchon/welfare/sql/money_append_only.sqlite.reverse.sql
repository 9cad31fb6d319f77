DROP TRIGGER IF EXISTS welfare_contribution_no_update;
DROP TRIGGER IF EXISTS welfare_contribution_no_delete;
DROP TRIGGER IF EXISTS welfare_collectionsheet_no_update;
DROP TRIGGER IF EXISTS welfare_collectionsheet_no_delete;
DROP TRIGGER IF EXISTS welfare_grant_no_update;
DROP TRIGGER IF EXISTS welfare_grant_no_delete;
