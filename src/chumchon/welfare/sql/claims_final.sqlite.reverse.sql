DROP TRIGGER IF EXISTS welfare_claim_approved_kept;
DROP TRIGGER IF EXISTS welfare_claim_rejected_final;
DROP TRIGGER IF EXISTS welfare_claim_paid_final;
DROP TRIGGER IF EXISTS welfare_claim_no_delete;
