DROP TRIGGER IF EXISTS welfare_claim_member_belongs ON welfare_claim;
DROP TRIGGER IF EXISTS welfare_claim_entry_belongs ON welfare_claim;
DROP TRIGGER IF EXISTS welfare_collectionsheet_belongs ON welfare_collectionsheet;
DROP TRIGGER IF EXISTS welfare_grant_belongs ON welfare_grant;
DROP TRIGGER IF EXISTS welfare_contribution_belongs ON welfare_contribution;
DROP FUNCTION IF EXISTS welfare_claim_belongs();
DROP FUNCTION IF EXISTS welfare_document_belongs();
DROP FUNCTION IF EXISTS welfare_receipts_belong();
