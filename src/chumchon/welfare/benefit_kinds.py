"""The standard catalogue of benefit kinds (ประเภทสวัสดิการ), loaded by a data migration. Each fund decides which
it offers and on what terms (BenefitRule)."""

# code, Thai, English, expense account (standard code), unit Thai, unit English, health data (PDPA s.26)
STANDARD_KINDS = [
    ("newborn", "คลอดบุตร", "Newborn", "5101", "", "", True),
    ("school", "อุปกรณ์การเรียน/ทุนการศึกษา", "School supplies and scholarships", "5102", "", "", False),
    ("hospital", "นอนโรงพยาบาล", "Hospital stay", "5103", "คืน", "night", True),
    ("elderly_pension", "บำนาญผู้สูงอายุ", "Elderly pension", "5104", "", "", False),
    ("funeral", "เสียชีวิต/ฌาปนกิจ", "Funeral and death", "5105", "", "", False),
    ("disadvantaged", "ผู้ด้อยโอกาส", "Disadvantaged", "5106", "", "", False),
    ("disabled", "ผู้พิการ", "Disabled", "5107", "", "", True),
    ("occupation", "ทุนประกอบอาชีพ", "Occupation capital", "5108", "", "", False),
    ("disaster", "ภัยพิบัติ", "Disaster", "5109", "", "", False),
    ("house_repair", "ซ่อมแซมบ้าน", "House repair", "5110", "", "", False),
    ("farmland", "ที่ดินทำกิน", "Farmland", "5111", "", "", False),
    ("illness_home", "เจ็บป่วยรักษาตัวที่บ้าน", "Illness at home", "5112", "วัน", "day", True),
    ("ordination", "บวช", "Ordination", "5113", "", "", False),
    ("marriage", "แต่งงาน", "Marriage", "5113", "", "", False),
    ("emergency", "ช่วยเหลือฉุกเฉิน", "Emergency relief", "5114", "", "", False),
    ("other", "สวัสดิการอื่น", "Other benefit", "5115", "", "", False),
]
