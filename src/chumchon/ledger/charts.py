"""Chart-of-accounts templates. Template accounts carry a standard code so books add up across areas.

The welfare-fund chart follows how Thai community welfare funds report: money kept apart by source
(members, government via the institute, local administration, donations, interest, other), benefit expenses
by benefit kind, and administration costs (which each fund caps).
"""

from dataclasses import dataclass

from chumchon.ledger.models import AccountType as T
from chumchon.ledger.models import FundSource as S


@dataclass(frozen=True)
class TemplateAccount:
    code: str
    name_th: str
    name_en: str
    type: str
    fund_source: str = ""
    is_cash: bool = False


WELFARE_FUND = [
    TemplateAccount("1101", "เงินสด", "Cash", T.ASSET, is_cash=True),
    TemplateAccount("1102", "เงินฝากธนาคาร ออมทรัพย์", "Bank: savings account", T.ASSET, is_cash=True),
    TemplateAccount("1103", "เงินฝากธนาคาร ประจำ", "Bank: fixed deposit", T.ASSET, is_cash=True),
    TemplateAccount("1201", "เงินสมทบค้างรับ", "Matching grants receivable", T.ASSET),
    TemplateAccount("1202", "ดอกเบี้ยค้างรับ", "Interest receivable", T.ASSET),
    TemplateAccount("2101", "ค่าสวัสดิการค้างจ่าย", "Benefits payable", T.LIABILITY),
    TemplateAccount("2102", "เงินสมทบรับล่วงหน้า", "Contributions received in advance", T.LIABILITY),
    TemplateAccount("2103", "ค่าใช้จ่ายค้างจ่าย", "Accrued expenses", T.LIABILITY),
    TemplateAccount("3101", "ทุนกองทุน: เงินสมทบสมาชิก", "Fund balance: members", T.NET_ASSETS, S.MEMBERS),
    TemplateAccount("3102", "ทุนกองทุน: เงินสมทบรัฐบาลผ่าน พอช.", "Fund balance: government via the institute",
                    T.NET_ASSETS, S.GOVERNMENT),
    TemplateAccount("3103", "ทุนกองทุน: เงินสมทบ อปท.", "Fund balance: local administration", T.NET_ASSETS, S.LOCAL),
    TemplateAccount("3104", "ทุนกองทุน: เงินบริจาค", "Fund balance: donations", T.NET_ASSETS, S.DONATIONS),
    TemplateAccount("3105", "ทุนกองทุน: ดอกเบี้ย", "Fund balance: interest", T.NET_ASSETS, S.INTEREST),
    TemplateAccount("3106", "ทุนกองทุน: อื่น ๆ", "Fund balance: other", T.NET_ASSETS, S.OTHER),
    TemplateAccount("4101", "เงินสมทบจากสมาชิก (วันละบาท)", "Member contributions (1 baht a day)", T.INCOME, S.MEMBERS),
    TemplateAccount("4201", "เงินสมทบจากรัฐบาลผ่าน พอช.", "Matching grant: government via the institute", T.INCOME,
                    S.GOVERNMENT),
    TemplateAccount("4202", "เงินสมทบจาก อปท.", "Matching grant: local administration", T.INCOME, S.LOCAL),
    TemplateAccount("4301", "เงินบริจาค", "Donations", T.INCOME, S.DONATIONS),
    TemplateAccount("4401", "ดอกเบี้ยเงินฝาก", "Bank interest", T.INCOME, S.INTEREST),
    TemplateAccount("4901", "รายได้อื่น", "Other income", T.INCOME, S.OTHER),
    TemplateAccount("5101", "สวัสดิการคลอดบุตร", "Benefit: newborn", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5102", "สวัสดิการทุนการศึกษา/อุปกรณ์การเรียน", "Benefit: school supplies and scholarships",
                    T.EXPENSE, S.MEMBERS),
    TemplateAccount("5103", "สวัสดิการนอนโรงพยาบาล", "Benefit: hospital stay", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5104", "สวัสดิการบำนาญผู้สูงอายุ", "Benefit: elderly pension", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5105", "สวัสดิการเสียชีวิต", "Benefit: funeral and death", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5106", "สวัสดิการผู้ด้อยโอกาส", "Benefit: disadvantaged", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5107", "สวัสดิการผู้พิการ", "Benefit: disabled", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5108", "สวัสดิการทุนประกอบอาชีพ", "Benefit: occupation capital", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5109", "สวัสดิการภัยพิบัติ", "Benefit: disaster", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5110", "สวัสดิการซ่อมแซมบ้าน", "Benefit: house repair", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5111", "สวัสดิการที่ดินทำกิน", "Benefit: farmland", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5112", "สวัสดิการเจ็บป่วยรักษาตัวที่บ้าน", "Benefit: illness at home", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5113", "สวัสดิการบวช/แต่งงาน", "Benefit: ordination and marriage", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5114", "สวัสดิการช่วยเหลือฉุกเฉิน", "Benefit: emergency relief", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5115", "สวัสดิการอื่น", "Benefit: other", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5201", "สวัสดิการที่จ่ายจากเงินสมทบรัฐบาล", "Benefits paid from government matching",
                    T.EXPENSE, S.GOVERNMENT),
    TemplateAccount("5202", "สวัสดิการที่จ่ายจากเงินสมทบ อปท.", "Benefits paid from local matching",
                    T.EXPENSE, S.LOCAL),
    TemplateAccount("5301", "ค่าบริหารจัดการ", "Administration costs", T.EXPENSE, S.MEMBERS),
    TemplateAccount("5302", "ค่าธรรมเนียมธนาคาร", "Bank fees", T.EXPENSE, S.INTEREST),
    # Added after the first books were opened: a book gets it when first used (ledger.services.template_account).
    TemplateAccount("5303", "เงินสมทบคืนสมาชิกที่ลาออก", "Contributions refunded to resigning members", T.EXPENSE,
                    S.MEMBERS),
]

TEMPLATES = {"welfare_fund": WELFARE_FUND}

# Where year-end closing puts each source's net income (ทุนกองทุนตามแหล่งเงิน).
FUND_BALANCE_BY_SOURCE = {
    S.MEMBERS: "3101", S.GOVERNMENT: "3102", S.LOCAL: "3103", S.DONATIONS: "3104", S.INTEREST: "3105",
    S.OTHER: "3106", "": "3106",
}
