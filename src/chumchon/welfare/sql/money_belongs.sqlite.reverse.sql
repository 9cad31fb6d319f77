DROP TRIGGER IF EXISTS welfare_claim_entry_stays;
DROP TRIGGER IF EXISTS welfare_claim_entry_belongs;
DROP TRIGGER IF EXISTS welfare_claim_member_stays;
DROP TRIGGER IF EXISTS welfare_claim_member_belongs;
DROP TRIGGER IF EXISTS welfare_collectionsheet_belongs;
DROP TRIGGER IF EXISTS welfare_grant_belongs;
DROP TRIGGER IF EXISTS welfare_contribution_belongs;
