-- The lines of the three correcting entries, not only their totals (receipt_voids, refunds and claim_voids check
-- fund, book and amount): the books take any balanced entry; a fund's history may not.
--   a receipt's cancellation: two lines, Dr contributions 4101 / Cr an account the receipt's own entry debited;
--   a contribution refund: two lines, Dr refunds 5303 / Cr a cash or bank account;
--   a payment's cancellation: the payment's own lines, each the other way round.

CREATE FUNCTION welfare_contributionvoid_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT COUNT(*) FROM ledger_line l WHERE l.entry_id = NEW.entry_id) <> 2
       OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                        JOIN welfare_contribution c ON c.id = NEW.contribution_id
                       WHERE l.entry_id = NEW.entry_id AND a.code = '4101' AND l.debit = c.amount AND l.credit = 0)
       OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN welfare_contribution c ON c.id = NEW.contribution_id
                       WHERE l.entry_id = NEW.entry_id AND l.credit = c.amount AND l.debit = 0
                         AND l.account_id IN (SELECT r.account_id FROM ledger_line r
                                               WHERE r.entry_id = c.entry_id AND r.debit > 0)) THEN
        RAISE EXCEPTION 'รายการปรับปรุงของการยกเลิกใบเสร็จต้องเดบิตเงินสมทบ (4101) และเครดิตบัญชีเงินสดหรือธนาคารที่ใบเสร็จรับเข้า ด้วยจำนวนเงินเท่าใบเสร็จ (a receipt''s cancellation must debit contributions (4101) and credit the cash or bank account the receipt went to, for the receipt''s amount)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_contributionvoid_lines BEFORE INSERT ON welfare_contributionvoid
    FOR EACH ROW EXECUTE FUNCTION welfare_contributionvoid_lines();

CREATE FUNCTION welfare_contributionrefund_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT COUNT(*) FROM ledger_line l WHERE l.entry_id = NEW.entry_id) <> 2
       OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                       WHERE l.entry_id = NEW.entry_id AND a.code = '5303' AND l.debit = NEW.amount AND l.credit = 0)
       OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                       WHERE l.entry_id = NEW.entry_id AND a.is_cash AND l.credit = NEW.amount AND l.debit = 0) THEN
        RAISE EXCEPTION 'รายการจ่ายคืนเงินสมทบต้องเดบิตเงินสมทบคืนสมาชิกที่ลาออก (5303) และเครดิตบัญชีเงินสดหรือธนาคาร ด้วยจำนวนเงินที่คืน (a refund must debit refunds to members who resigned (5303) and credit a cash or bank account, for the amount refunded)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_contributionrefund_lines BEFORE INSERT ON welfare_contributionrefund
    FOR EACH ROW EXECUTE FUNCTION welfare_contributionrefund_lines();

CREATE FUNCTION welfare_claimpaymentvoid_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT COUNT(*) FROM ledger_line v WHERE v.entry_id = NEW.entry_id)
       <> (SELECT COUNT(*) FROM ledger_line p JOIN welfare_claim c ON c.entry_id = p.entry_id WHERE c.id = NEW.claim_id)
       OR EXISTS (SELECT 1 FROM ledger_line p JOIN welfare_claim c ON c.entry_id = p.entry_id
                   WHERE c.id = NEW.claim_id
                     AND NOT EXISTS (SELECT 1 FROM ledger_line v
                                      WHERE v.entry_id = NEW.entry_id AND v.account_id = p.account_id
                                        AND v.debit = p.credit AND v.credit = p.debit)) THEN
        RAISE EXCEPTION 'รายการปรับปรุงของการยกเลิกใบสำคัญจ่ายต้องมีบรรทัดเดียวกับรายการจ่าย โดยกลับด้านเดบิตและเครดิต (a payment''s cancellation must have the payment''s own lines, each the other way round)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER welfare_claimpaymentvoid_lines BEFORE INSERT ON welfare_claimpaymentvoid
    FOR EACH ROW EXECUTE FUNCTION welfare_claimpaymentvoid_lines();
