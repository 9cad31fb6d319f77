-- Money documents (receipts, collection sheets, matching money): inserted, never changed or removed.

CREATE TRIGGER welfare_contribution_no_update BEFORE UPDATE ON welfare_contribution
BEGIN
    SELECT RAISE(ABORT, 'ใบเสร็จเงินสมทบแก้ไขไม่ได้ (contribution receipts: welfare_contribution is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_contribution_no_delete BEFORE DELETE ON welfare_contribution
BEGIN
    SELECT RAISE(ABORT, 'ใบเสร็จเงินสมทบลบไม่ได้ (contribution receipts: welfare_contribution is append-only: DELETE refused)');
END;

CREATE TRIGGER welfare_collectionsheet_no_update BEFORE UPDATE ON welfare_collectionsheet
BEGIN
    SELECT RAISE(ABORT, 'ใบเก็บเงินสมทบแก้ไขไม่ได้ (collection sheets: welfare_collectionsheet is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_collectionsheet_no_delete BEFORE DELETE ON welfare_collectionsheet
BEGIN
    SELECT RAISE(ABORT, 'ใบเก็บเงินสมทบลบไม่ได้ (collection sheets: welfare_collectionsheet is append-only: DELETE refused)');
END;

CREATE TRIGGER welfare_grant_no_update BEFORE UPDATE ON welfare_grant
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบจากภายนอกแก้ไขไม่ได้ (matching money received: welfare_grant is append-only: UPDATE refused)');
END;

CREATE TRIGGER welfare_grant_no_delete BEFORE DELETE ON welfare_grant
BEGIN
    SELECT RAISE(ABORT, 'เงินสมทบจากภายนอกลบไม่ได้ (matching money received: welfare_grant is append-only: DELETE refused)');
END;
