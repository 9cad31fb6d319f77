-- Personal-data access rows can be inserted, never changed or removed.
CREATE TRIGGER people_personaldataaccess_no_update BEFORE UPDATE ON people_personaldataaccess
BEGIN
    SELECT RAISE(ABORT, 'บันทึกการเข้าถึงข้อมูลส่วนบุคคลแก้ไขไม่ได้ (personal data access log is append-only: UPDATE refused)');
END;

CREATE TRIGGER people_personaldataaccess_no_delete BEFORE DELETE ON people_personaldataaccess
BEGIN
    SELECT RAISE(ABORT, 'บันทึกการเข้าถึงข้อมูลส่วนบุคคลลบไม่ได้ (personal data access log is append-only: DELETE refused)');
END;
