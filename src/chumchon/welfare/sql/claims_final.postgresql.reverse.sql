DROP TRIGGER IF EXISTS welfare_claim_no_truncate ON welfare_claim;
DROP TRIGGER IF EXISTS welfare_claim_guard ON welfare_claim;
DROP FUNCTION IF EXISTS welfare_claim_guard();
