-- A claim: never removed; paid or rejected, never changed; approved, changed only by being paid.
CREATE TRIGGER welfare_claim_no_delete BEFORE DELETE ON welfare_claim
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการลบไม่ได้ (claims cannot be deleted)');
END;

CREATE TRIGGER welfare_claim_paid_final BEFORE UPDATE ON welfare_claim WHEN OLD.status = 'paid'
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการที่จ่ายแล้วแก้ไขไม่ได้ (a paid claim cannot be changed)');
END;

CREATE TRIGGER welfare_claim_rejected_final BEFORE UPDATE ON welfare_claim WHEN OLD.status = 'rejected'
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการที่ไม่อนุมัติแล้วแก้ไขไม่ได้ (a rejected claim cannot be changed)');
END;

CREATE TRIGGER welfare_claim_approved_kept BEFORE UPDATE ON welfare_claim WHEN OLD.status = 'approved' AND (
    NEW.status NOT IN ('approved', 'paid')
    OR NEW.amount IS NOT OLD.amount OR NEW.membership_id IS NOT OLD.membership_id
    OR NEW.beneficiary_id IS NOT OLD.beneficiary_id OR NEW.kind_id IS NOT OLD.kind_id
    OR NEW.fund_id IS NOT OLD.fund_id OR NEW.event_date IS NOT OLD.event_date)
BEGIN
    SELECT RAISE(ABORT, 'คำขอรับสวัสดิการที่อนุมัติแล้วเปลี่ยนได้เพียงบันทึกการจ่าย (an approved claim: only its payment can be recorded)');
END;
