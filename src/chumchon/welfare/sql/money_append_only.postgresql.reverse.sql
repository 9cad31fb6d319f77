DROP TRIGGER IF EXISTS welfare_contribution_no_truncate ON welfare_contribution;
DROP TRIGGER IF EXISTS welfare_contribution_append_only ON welfare_contribution;
DROP TRIGGER IF EXISTS welfare_collectionsheet_no_truncate ON welfare_collectionsheet;
DROP TRIGGER IF EXISTS welfare_collectionsheet_append_only ON welfare_collectionsheet;
DROP TRIGGER IF EXISTS welfare_grant_no_truncate ON welfare_grant;
DROP TRIGGER IF EXISTS welfare_grant_append_only ON welfare_grant;
