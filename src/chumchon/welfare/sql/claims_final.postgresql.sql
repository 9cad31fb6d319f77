-- A claim is a record of a decision and, once paid, of money out: nothing removes one, a paid or rejected claim
-- never changes, and an approved one changes only by being paid (the amount, member, beneficiary, benefit and
-- fund the committee approved stay as they were). A claim is paid with its journal entry and voucher number: a
-- check constraint (welfare_claim_paid_has_voucher).
CREATE OR REPLACE FUNCTION welfare_claim_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'คำขอรับสวัสดิการลบไม่ได้ (claim %: claims cannot be deleted)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'paid' THEN
        RAISE EXCEPTION 'คำขอรับสวัสดิการที่จ่ายแล้วแก้ไขไม่ได้ (claim % is paid: it cannot be changed)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'rejected' THEN
        RAISE EXCEPTION 'คำขอรับสวัสดิการที่ไม่อนุมัติแล้วแก้ไขไม่ได้ (claim % is rejected: it cannot be changed)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'approved' AND (
        NEW.status NOT IN ('approved', 'paid')
        OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.membership_id IS DISTINCT FROM OLD.membership_id
        OR NEW.beneficiary_id IS DISTINCT FROM OLD.beneficiary_id OR NEW.kind_id IS DISTINCT FROM OLD.kind_id
        OR NEW.fund_id IS DISTINCT FROM OLD.fund_id OR NEW.event_date IS DISTINCT FROM OLD.event_date
    ) THEN
        RAISE EXCEPTION 'คำขอรับสวัสดิการที่อนุมัติแล้วเปลี่ยนได้เพียงบันทึกการจ่าย (claim % is approved: only its payment can be recorded)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER welfare_claim_guard BEFORE UPDATE OR DELETE ON welfare_claim
    FOR EACH ROW EXECUTE FUNCTION welfare_claim_guard();

CREATE TRIGGER welfare_claim_no_truncate BEFORE TRUNCATE ON welfare_claim
    FOR EACH STATEMENT EXECUTE FUNCTION chumchon_refuse_truncate();
