"""The instruments Chumchon ships, in force from fiscal year 2565 (the year of the institute's report).

The official item wording and the criteria of council grades, fund quality and borrower grades are not
available to us (DOMAIN.md marks them *unknown*): every item here is a clearly marked DRAFT (``[ร่าง]`` / "DRAFT")
that national staff replace from the instrument pages (an edit makes a new revision; assessments already given keep
their scores). Only the structure is from the sources: the 4 strong-community dimensions, 28 items and 100 points,
the levels Excellent ≥ 90 %, Very good 80–89 %, Good 70–79 % and a model strong community at ≥ 80 %; grades A–D; the
five fund status items (rules, member registry, operating reports, financial status and accounts, a development or
recovery plan).

``instruments_install`` takes the model classes, so the data migration (historical models) and the
``load_instruments`` command (real models) share it. It only adds what is missing: a second run writes nothing.
"""

from decimal import Decimal

SHIPPED_FISCAL_YEAR = 2565
D = "[ร่าง] "  # every draft item starts with this mark, and its English text with "DRAFT: "
E = "DRAFT: "


def _yes(code, th, en, points, evidence=True):
    return {"code": code, "text_th": D + th, "text_en": E + en, "answer_type": "yes_no", "points": points,
            "evidence_required": evidence}


def _scale(code, th, en, points, scale_max=4, evidence=False):
    return {"code": code, "text_th": D + th, "text_en": E + en, "answer_type": "scale", "points": points,
            "scale_max": scale_max, "evidence_required": evidence}


def _number(code, th, en, points, target, number_max=None, evidence=False):
    return {"code": code, "text_th": D + th, "text_en": E + en, "answer_type": "number", "points": points,
            "number_target": target, "number_max": number_max, "evidence_required": evidence}


STRONG_COMMUNITY = {
    "code": "strong-community", "name_th": "ตัวชี้วัดชุมชนเข้มแข็ง", "name_en": "Strong-community indicators",
    "subject_kind": "subdistrict", "pass_percent": "80", "draft_wording": True,
    "description": "4 มิติ 28 ตัวชี้วัด 100 คะแนน; ชุมชนเข้มแข็งต้นแบบต้องได้ร้อยละ 80 ขึ้นไป "
                   "(4 dimensions, 28 items, 100 points; a model strong community needs 80 % or more).",
    "bands": [("excellent", "ดีเยี่ยม", "Excellent", "90"), ("very_good", "ดีมาก", "Very good", "80"),
              ("good", "ดี", "Good", "70")],
    "dimensions": [
        ("คุณภาพของคน", "Quality of people", [
            _scale("1.1", "คนในชุมชนมีส่วนร่วมในกิจกรรมของชุมชน", "people take part in community activities", 4),
            _scale("1.2", "มีผู้นำรุ่นใหม่ได้รับการพัฒนา", "new leaders are being developed", 4),
            _yes("1.3", "มีการเรียนรู้และแลกเปลี่ยนของคนในชุมชนอย่างสม่ำเสมอ", "regular learning exchanges", 4),
            _number("1.4", "ร้อยละของครัวเรือนที่ออมเงินกับกลุ่มในชุมชน", "percent of households saving in a "
                    "community group", 4, target=60, number_max=100),
            _scale("1.5", "คนในชุมชนมีจิตสาธารณะ", "people volunteer for the common good", 3),
            _yes("1.6", "มีการสืบทอดภูมิปัญญาท้องถิ่น", "local wisdom is passed on", 3, evidence=False),
            _scale("1.7", "คนในชุมชนใช้ข้อมูลในการตัดสินใจ", "people use data to decide", 3),
        ]),
        ("ความเข้มแข็งขององค์กรชุมชน", "Strength of community organisations", [
            _number("2.1", "จำนวนองค์กรชุมชนที่จดแจ้งกับสภาองค์กรชุมชน", "community organisations registered with "
                    "the council", 4, target=20),
            _yes("2.2", "สภาองค์กรชุมชนประชุมอย่างน้อยปีละ 4 ครั้ง", "the council meets at least 4 times a year", 4),
            _yes("2.3", "องค์กรชุมชนมีระเบียบและบัญชีที่ตรวจสอบได้", "organisations keep rules and auditable "
                 "accounts", 4),
            _scale("2.4", "องค์กรชุมชนทำงานร่วมกันเป็นเครือข่าย", "organisations work together as a network", 4),
            _yes("2.5", "มีกองทุนสวัสดิการชุมชนที่ดำเนินงานต่อเนื่อง", "a community welfare fund runs "
                 "continuously", 3),
            _scale("2.6", "องค์กรชุมชนมีแผนงานของตนเอง", "organisations have their own work plans", 3),
            _scale("2.7", "มีการสื่อสารข้อมูลภายในชุมชน", "information is shared within the community", 3),
        ]),
        ("การแก้ไขปัญหาชุมชนและคุณภาพชีวิต", "Solving community problems and quality of life", [
            _yes("3.1", "มีแผนพัฒนาชุมชนท้องถิ่นที่จัดทำโดยชุมชน", "a community-made local development plan", 4),
            _scale("3.2", "ชุมชนแก้ปัญหาหนี้สินของครัวเรือน", "the community tackles household debt", 4),
            _scale("3.3", "ชุมชนแก้ปัญหาที่อยู่อาศัยและที่ดิน", "the community tackles housing and land", 4),
            _scale("3.4", "ชุมชนดูแลผู้สูงอายุ ผู้พิการ และผู้ด้อยโอกาส", "the community cares for the elderly, "
                   "disabled and disadvantaged", 4),
            _scale("3.5", "ชุมชนจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม", "the community manages natural resources", 3),
            _scale("3.6", "ชุมชนมีระบบป้องกันและรับมือภัยพิบัติ", "the community is prepared for disasters", 3),
            _scale("3.7", "รายได้และอาชีพของครัวเรือนดีขึ้น", "household income and occupations improve", 3),
        ]),
        ("การเปลี่ยนแปลงความสัมพันธ์กับหน่วยงานและนโยบาย", "Changed relations with agencies and policy", [
            _yes("4.1", "แผนชุมชนถูกบรรจุในแผนของ อปท.", "the community plan is taken into the local "
                 "administration's plan", 4),
            _number("4.2", "จำนวนกิจกรรมตามแผนที่ได้รับงบประมาณจากหน่วยงาน", "plan activities funded by agencies",
                    4, target=5),
            _yes("4.3", "สภาองค์กรชุมชนเสนอข้อเสนอเชิงนโยบายต่อหน่วยงาน", "the council sends policy proposals", 4),
            _scale("4.4", "หน่วยงานรัฐร่วมประชุมกับชุมชนอย่างสม่ำเสมอ", "agencies meet the community regularly", 4),
            _scale("4.5", "ชุมชนมีส่วนร่วมในการตัดสินใจของ อปท.", "the community takes part in local decisions", 3),
            _yes("4.6", "มีข้อตกลงความร่วมมือกับหน่วยงาน", "a cooperation agreement with an agency", 3),
            _scale("4.7", "ข้อเสนอของชุมชนได้รับการตอบสนอง", "the community's proposals get answers", 3),
        ]),
    ],
}

COUNCIL_QUALITY = {
    "code": "council-quality", "name_th": "การประเมินคุณภาพสภาองค์กรชุมชน", "name_en": "Council quality grade",
    "subject_kind": "council", "pass_percent": "70", "draft_wording": True,
    "description": "ระดับ A–D; เกณฑ์จริงยังไม่มี ใช้ร่างนี้จนกว่าส่วนกลางจะแก้ไข "
                   "(grades A–D; the real criteria are unknown: draft until national staff replace them).",
    "bands": [("A", "A", "A", "80"), ("B", "B", "B", "70"), ("C", "C", "C", "60"), ("D", "D", "D", "0")],
    "dimensions": [
        ("โครงสร้างและสมาชิก", "Structure and members", [
            _yes("1.1", "มีสมาชิกสภาครบตามกฎหมายและอยู่ในวาระ", "members are complete and in term", 10),
            _yes("1.2", "มีการจดแจ้งจัดตั้งสภาและแจ้งการเปลี่ยนแปลง", "the council is registered and up to date", 10),
            _number("1.3", "จำนวนองค์กรชุมชนที่จดแจ้ง", "community organisations registered", 10, target=15),
        ]),
        ("การประชุมและการบริหาร", "Meetings and management", [
            _number("2.1", "จำนวนครั้งที่ประชุมในปี", "meetings held in the year", 15, target=4),
            _yes("2.2", "มีบันทึกรายงานการประชุมครบ", "minutes kept for every meeting", 10),
        ]),
        ("แผนและข้อเสนอ", "Plans and proposals", [
            _yes("3.1", "จัดทำแผนพัฒนาชุมชนท้องถิ่น", "a local development plan was made", 15),
            _number("3.2", "จำนวนข้อเสนอต่อหน่วยงาน", "proposals sent to agencies", 10, target=3),
        ]),
        ("เครือข่ายและความร่วมมือ", "Networks and cooperation", [
            _scale("4.1", "ความร่วมมือกับ อปท. และหน่วยงาน", "cooperation with the local administration and "
                   "agencies", 10),
            _scale("4.2", "การทำงานร่วมกับเครือข่ายระดับอำเภอและจังหวัด", "work with district and provincial "
                   "networks", 10),
        ]),
    ],
}

FUND_QUALITY = {
    "code": "welfare-fund-quality", "name_th": "การประเมินคุณภาพกองทุนสวัสดิการชุมชน",
    "name_en": "Welfare fund quality", "subject_kind": "welfare_fund", "pass_percent": "60", "draft_wording": True,
    "description": "รายการตรวจสถานะกองทุน 5 ด้าน (the five fund status items); คะแนนและระดับเป็นร่าง "
                   "(points and levels are a draft).",
    "bands": [("very_good", "ดีมาก", "Very good", "80"), ("good", "ดี", "Good", "60"),
              ("improve", "ต้องปรับปรุง", "Needs improvement", "0")],
    "dimensions": [
        ("สถานะกองทุน", "Fund status", [
            _yes("1", "มีกฎระเบียบกองทุน", "the fund has rules and regulations", 20),
            _yes("2", "ทะเบียนสมาชิกเป็นปัจจุบัน", "the member registry is up to date", 20),
            _yes("3", "มีรายงานผลการดำเนินงาน", "operating reports are made", 20),
            _yes("4", "มีรายงานสถานะการเงินและบัญชี", "financial status and accounts are kept", 20),
            _yes("5", "มีแผนพัฒนาหรือแผนฟื้นฟูกองทุน", "a development or recovery plan exists", 20),
        ]),
    ],
}

BORROWER_GRADE = {
    "code": "borrower-grade", "name_th": "การจัดระดับองค์กรผู้ใช้สินเชื่อ", "name_en": "Borrower organisation grade",
    "subject_kind": "community_org", "pass_percent": "70", "draft_wording": True,
    "description": "ระดับ A–D (grades A–D); เกณฑ์เป็นร่าง (draft criteria).",
    "bands": [("A", "A", "A", "85"), ("B", "B", "B", "70"), ("C", "C", "C", "55"), ("D", "D", "D", "0")],
    "dimensions": [
        ("การชำระหนี้", "Repayment", [
            _number("1.1", "ร้อยละของงวดที่ชำระตรงเวลาในปี", "percent of instalments paid on time", 30, target=100,
                    number_max=100, evidence=True),
            _yes("1.2", "ไม่มีหนี้ค้างเกิน 3 งวด", "no arrears beyond 3 instalments", 15),
        ]),
        ("การเงินและบัญชี", "Finance and accounts", [
            _yes("2.1", "มีบัญชีที่ตรวจสอบแล้ว", "audited accounts", 15),
            _number("2.2", "ร้อยละเงินออมต่อยอดสินเชื่อ", "savings as a percent of the loan", 15, target=10),
        ]),
        ("การบริหารองค์กร", "Management", [
            _number("3.1", "จำนวนครั้งที่คณะกรรมการประชุมในปี", "committee meetings in the year", 10, target=12),
            _scale("3.2", "สมาชิกมีส่วนร่วมและได้รับข้อมูล", "members take part and are informed", 15),
        ]),
    ],
}

SHIPPED = [STRONG_COMMUNITY, COUNCIL_QUALITY, FUND_QUALITY, BORROWER_GRADE]


def instruments_install(Instrument, Dimension, Item, LevelBand, specs=SHIPPED,  # noqa: N803 (model classes)
                        fiscal_year: int = SHIPPED_FISCAL_YEAR) -> int:
    """Add the shipped instruments that are missing (revision 1 of ``fiscal_year``); return how many were added."""
    added = 0
    for spec in specs:
        if Instrument.objects.filter(code=spec["code"]).exists():
            continue
        instrument = Instrument.objects.create(
            code=spec["code"], fiscal_year=fiscal_year, revision=1, name_th=spec["name_th"], name_en=spec["name_en"],
            subject_kind=spec["subject_kind"], pass_percent=Decimal(spec["pass_percent"]),
            draft_wording=spec["draft_wording"], description=spec["description"])
        for code, th, en, minimum in spec["bands"]:
            LevelBand.objects.create(instrument=instrument, code=code, label_th=th, label_en=en,
                                     min_percent=Decimal(minimum))
        order = 0
        for number, (th, en, items) in enumerate(spec["dimensions"], start=1):
            dimension = Dimension.objects.create(instrument=instrument, number=number, name_th=th, name_en=en)
            for item in items:
                order += 1
                Item.objects.create(
                    instrument=instrument, dimension=dimension, order=order, code=item["code"],
                    text_th=item["text_th"], text_en=item["text_en"], answer_type=item["answer_type"],
                    points=Decimal(item["points"]), scale_max=item.get("scale_max"),
                    number_target=None if item.get("number_target") is None else Decimal(item["number_target"]),
                    number_max=None if item.get("number_max") is None else Decimal(item["number_max"]),
                    evidence_required=item["evidence_required"])
        added += 1
    return added
