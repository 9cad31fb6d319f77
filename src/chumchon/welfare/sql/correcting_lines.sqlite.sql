-- The lines of the three correcting entries, not only their totals: a receipt's cancellation Dr 4101 / Cr an
-- account the receipt's own entry debited; a refund Dr 5303 / Cr a cash or bank account; a payment's cancellation
-- the payment's own lines, each the other way round.

CREATE TRIGGER welfare_contributionvoid_lines BEFORE INSERT ON welfare_contributionvoid
WHEN (SELECT COUNT(*) FROM ledger_line l WHERE l.entry_id = NEW.entry_id) <> 2
  OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                   JOIN welfare_contribution c ON c.id = NEW.contribution_id
                  WHERE l.entry_id = NEW.entry_id AND a.code = '4101' AND ROUND(l.debit, 2) = ROUND(c.amount, 2)
                    AND ROUND(l.credit, 2) = 0)
  OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN welfare_contribution c ON c.id = NEW.contribution_id
                  WHERE l.entry_id = NEW.entry_id AND ROUND(l.credit, 2) = ROUND(c.amount, 2) AND ROUND(l.debit, 2) = 0
                    AND l.account_id IN (SELECT r.account_id FROM ledger_line r WHERE r.entry_id = c.entry_id AND r.debit > 0))
BEGIN
    SELECT RAISE(ABORT, 'รายการปรับปรุงของการยกเลิกใบเสร็จต้องเดบิตเงินสมทบ (4101) และเครดิตบัญชีเงินสดหรือธนาคารที่ใบเสร็จรับเข้า ด้วยจำนวนเงินเท่าใบเสร็จ (a receipt''s cancellation must debit contributions (4101) and credit the cash or bank account the receipt went to, for the receipt''s amount)');
END;

CREATE TRIGGER welfare_contributionrefund_lines BEFORE INSERT ON welfare_contributionrefund
WHEN (SELECT COUNT(*) FROM ledger_line l WHERE l.entry_id = NEW.entry_id) <> 2
  OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                  WHERE l.entry_id = NEW.entry_id AND a.code = '5303' AND ROUND(l.debit, 2) = ROUND(NEW.amount, 2)
                    AND ROUND(l.credit, 2) = 0)
  OR NOT EXISTS (SELECT 1 FROM ledger_line l JOIN ledger_account a ON a.id = l.account_id
                  WHERE l.entry_id = NEW.entry_id AND a.is_cash AND ROUND(l.credit, 2) = ROUND(NEW.amount, 2)
                    AND ROUND(l.debit, 2) = 0)
BEGIN
    SELECT RAISE(ABORT, 'รายการจ่ายคืนเงินสมทบต้องเดบิตเงินสมทบคืนสมาชิกที่ลาออก (5303) และเครดิตบัญชีเงินสดหรือธนาคาร ด้วยจำนวนเงินที่คืน (a refund must debit refunds to members who resigned (5303) and credit a cash or bank account, for the amount refunded)');
END;

CREATE TRIGGER welfare_claimpaymentvoid_lines BEFORE INSERT ON welfare_claimpaymentvoid
WHEN (SELECT COUNT(*) FROM ledger_line v WHERE v.entry_id = NEW.entry_id)
     <> (SELECT COUNT(*) FROM ledger_line p JOIN welfare_claim c ON c.entry_id = p.entry_id WHERE c.id = NEW.claim_id)
  OR EXISTS (SELECT 1 FROM ledger_line p JOIN welfare_claim c ON c.entry_id = p.entry_id
              WHERE c.id = NEW.claim_id
                AND NOT EXISTS (SELECT 1 FROM ledger_line v
                                 WHERE v.entry_id = NEW.entry_id AND v.account_id = p.account_id
                                   AND ROUND(v.debit, 2) = ROUND(p.credit, 2) AND ROUND(v.credit, 2) = ROUND(p.debit, 2)))
BEGIN
    SELECT RAISE(ABORT, 'รายการปรับปรุงของการยกเลิกใบสำคัญจ่ายต้องมีบรรทัดเดียวกับรายการจ่าย โดยกลับด้านเดบิตและเครดิต (a payment''s cancellation must have the payment''s own lines, each the other way round)');
END;
