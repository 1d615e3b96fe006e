"""Reference facts for demo data: Laixi's towns, the city's departments and typical services."""

from __future__ import annotations

# code, 中文, English
DEPARTMENTS = [
    ("civil", "民政局", "Civil Affairs"),
    ("hrss", "人力资源和社会保障局", "Human Resources and Social Security"),
    ("medical", "医疗保障局", "Medical Security"),
    ("police", "公安局户政", "Public Security (household registration)"),
    ("land", "自然资源局", "Natural Resources"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development"),
    ("agri", "农业农村局", "Agriculture and Rural Affairs"),
    ("market", "市场监督管理局", "Market Regulation"),
    ("health", "卫生健康局", "Health"),
    ("edu", "教育体育局", "Education and Sports"),
    ("tax", "税务局", "Taxation"),
    ("disabled", "残疾人联合会", "Disabled Persons' Federation"),
    ("veterans", "退役军人事务局", "Veterans Affairs"),
    ("justice", "司法局", "Justice (legal aid)"),
]

# code, 中文, English, kind
TOWNS = [
    ("shuiji", "水集街道", "Shuiji Subdistrict", "subdistrict"),
    ("wangcheng", "望城街道", "Wangcheng Subdistrict", "subdistrict"),
    ("guhe", "沽河街道", "Guhe Subdistrict", "subdistrict"),
    ("jiangshan", "姜山镇", "Jiangshan Town", "town"),
    ("xiagezhuang", "夏格庄镇", "Xiagezhuang Town", "town"),
    ("yuanshang", "院上镇", "Yuanshang Town", "town"),
    ("rizhuang", "日庄镇", "Rizhuang Town", "town"),
    ("nanshu", "南墅镇", "Nanshu Town", "town"),
    ("hetoudian", "河头店镇", "Hetoudian Town", "town"),
    ("dianbu", "店埠镇", "Dianbu Town", "town"),
    ("malianzhuang", "马连庄镇", "Malianzhuang Town", "town"),
]

# Windows of every township service centre: department code, 中文, English.
TOWNSHIP_WINDOWS = [
    ("hrss", "人社窗口", "Social Security Window"),
    ("medical", "医保窗口", "Medical Insurance Window"),
    ("civil", "民政窗口", "Civil Affairs Window"),
    ("agri", "农业窗口", "Agriculture Window"),
]

JIANGSHAN_VILLAGES = [
    ("姜山村", "Jiangshan"), ("垛埠村", "Duobu"), ("泽口村", "Zekou"), ("寄马埠村", "Jimabu"),
    ("仰岭村", "Yangling"), ("三都河村", "Sanduhe"), ("大河头村", "Dahetou"),
    ("李权庄村", "Liquanzhuang"),
]
SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("赵", "Zhao"), ("孙", "Sun"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("郭", "Guo"),
    ("高", "Gao"), ("马", "Ma"), ("姜", "Jiang"), ("于", "Yu"), ("韩", "Han"), ("曲", "Qu"),
    ("宋", "Song"), ("丁", "Ding"), ("崔", "Cui"), ("辛", "Xin"), ("董", "Dong"), ("葛", "Ge"),
]
VILLAGE_SUFFIXES = [("家庄", "jiazhuang"), ("疃", "tuan"), ("埠", "bu"), ("村", "cun"),
                    ("家屯", "jiatun"), ("格庄", "gezhuang")]
GIVEN_NAMES = ["秀英", "桂兰", "建国", "志强", "玉梅", "德胜", "淑珍", "海燕", "卫东", "春生",
               "明", "伟", "芳", "静", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "超", "霞"]

DOCS_ID = ("居民身份证", "Resident ID card", True)
DOCS_HUKOU = ("户口簿", "Household register", True)
DOCS_BANK = ("银行卡或存折", "Bank card or passbook", False)
DOCS_PHOTO = ("近期一寸照片", "Recent passport photo", False)

# code, 中文, English, category, department (None: any), lowest tier, limit, documents
SERVICES = [
    ("PENSION-ENROL", "城乡居民基本养老保险参保登记", "Rural and urban residents' pension enrolment",
     "social_security", "hrss", "township", 5, [DOCS_ID, DOCS_HUKOU, DOCS_BANK]),
    ("PENSION-CERT", "养老金领取资格认证", "Pension eligibility certification",
     "social_security", "hrss", "village", 1, [DOCS_ID]),
    ("MEDICAL-ENROL", "城乡居民医疗保险参保缴费", "Residents' medical insurance enrolment",
     "medical_insurance", "medical", "township", 3, [DOCS_ID, DOCS_HUKOU]),
    ("MEDICAL-CLAIM", "医疗费用报销", "Medical expense reimbursement",
     "medical_insurance", "medical", "city", 15,
     [DOCS_ID, ("医疗费用发票", "Medical invoices", True), ("出院小结", "Discharge summary", True),
      DOCS_BANK]),
    ("DIBAO", "最低生活保障申请", "Minimum living allowance (dibao)",
     "civil_affairs", "civil", "city", 20,
     [DOCS_ID, DOCS_HUKOU, ("家庭收入证明", "Proof of household income", True)]),
    ("TEMP-AID", "临时救助申请", "Temporary assistance",
     "civil_affairs", "civil", "township", 10,
     [DOCS_ID, ("困难情况说明", "Statement of hardship", True)]),
    ("DISABILITY-SUB", "残疾人两项补贴", "Disability living and nursing subsidies",
     "civil_affairs", "disabled", "city", 15,
     [DOCS_ID, ("残疾人证", "Disability certificate", True), DOCS_BANK]),
    ("OLD-AGE", "高龄津贴申请", "Old-age allowance",
     "civil_affairs", "civil", "township", 10, [DOCS_ID, DOCS_HUKOU, DOCS_BANK]),
    ("HOMESTEAD", "农村宅基地审批", "Rural homestead approval",
     "land_housing", "land", "city", 20,
     [DOCS_ID, DOCS_HUKOU, ("村民会议决议", "Village meeting resolution", True),
      ("宅基地位置图", "Site plan", True)]),
    ("BUSINESS-REG", "个体工商户登记", "Individual business registration",
     "business", "market", "township", 3,
     [DOCS_ID, ("经营场所证明", "Proof of business premises", True), DOCS_PHOTO]),
    ("FARM-SUBSIDY", "耕地地力保护补贴申领", "Farmland protection subsidy",
     "agriculture", "agri", "township", 10,
     [DOCS_ID, ("土地承包经营权证", "Land contract certificate", True), DOCS_BANK]),
    ("FARM-MACHINE", "农机购置补贴", "Farm machinery purchase subsidy",
     "agriculture", "agri", "city", 15,
     [DOCS_ID, ("购机发票", "Machine purchase invoice", True)]),
    ("LABOUR-REG", "农村劳动力转移就业登记", "Rural labour employment registration",
     "employment", "hrss", "village", 3, [DOCS_ID]),
    ("SKILLS-TRAIN", "职业技能培训报名", "Vocational skills training enrolment",
     "employment", "hrss", "township", 5, [DOCS_ID, DOCS_PHOTO]),
    ("EMPLOY-CERT", "就业创业证办理", "Employment and entrepreneurship certificate",
     "employment", "hrss", "township", 5, [DOCS_ID, DOCS_PHOTO]),
    ("HUKOU-MOVE", "户口迁移", "Household registration transfer",
     "household", "police", "city", 10,
     [DOCS_ID, DOCS_HUKOU, ("准予迁入证明", "Permit to move in", True)]),
    ("ID-CARD", "居民身份证办理", "Resident ID card",
     "household", "police", "city", 15, [DOCS_HUKOU, DOCS_PHOTO]),
    ("BIRTH-REG", "生育登记", "Birth registration",
     "health", "health", "township", 1, [DOCS_ID, ("结婚证", "Marriage certificate", True)]),
    ("LEGAL-AID", "法律援助申请", "Legal aid",
     "legal", "justice", "city", 7,
     [DOCS_ID, ("经济困难证明", "Proof of financial hardship", True)]),
    ("POLICY-ASK", "政策咨询", "Policy enquiry", "enquiry", None, "village", 1, []),
    ("INFO-REQUEST", "政府信息公开申请", "Government information request",
     "enquiry", None, "city", 20, [DOCS_ID]),
]
# How often each service is asked for, roughly, in the source programme's mix.
SERVICE_WEIGHTS = {
    "PENSION-ENROL": 12, "PENSION-CERT": 14, "MEDICAL-ENROL": 12, "MEDICAL-CLAIM": 6,
    "DIBAO": 4, "TEMP-AID": 3, "DISABILITY-SUB": 3, "OLD-AGE": 4, "HOMESTEAD": 2,
    "BUSINESS-REG": 4, "FARM-SUBSIDY": 6, "FARM-MACHINE": 2, "LABOUR-REG": 7,
    "SKILLS-TRAIN": 4, "EMPLOY-CERT": 3, "HUKOU-MOVE": 3, "ID-CARD": 3, "BIRTH-REG": 2,
    "LEGAL-AID": 1, "POLICY-ASK": 8, "INFO-REQUEST": 1,
}


def _field(key, kind, zh, en, required=False, **rules):
    return {"key": key, "type": kind, "label_zh": zh, "label_en": en, "required": required,
            **rules}


def _options(*pairs):
    return [{"value": v, "label_zh": zh, "label_en": en} for v, zh, en in pairs]


# Custom intake fields of the demo catalogue (IT staff define these as data).
FORM_FIELDS = {
    "PENSION-ENROL": [
        _field("grade", "choice", "缴费档次", "Contribution grade", True,
               options=_options(*[(str(v), f"{v} 元/年", f"CNY {v} a year")
                                  for v in (300, 500, 1000, 2000, 3000, 5000)])),
        _field("start_month", "month", "参保起始月份", "Enrolment starts"),
    ],
    "MEDICAL-CLAIM": [
        _field("hospital", "text", "就诊医院", "Hospital", True),
        _field("admitted", "date", "入院日期", "Admitted on", True),
        _field("amount", "number", "报销申请金额（元）", "Amount claimed (CNY)", True,
               min=1, max=500000),
    ],
    "DIBAO": [
        _field("members", "number", "家庭人口数", "Household members", True, min=1, max=20),
        _field("monthly_income", "number", "家庭月收入（元）", "Household income a month (CNY)",
               True, min=0, max=100000),
        _field("situation", "long_text", "家庭困难情况", "The household's situation", True),
    ],
    "TEMP-AID": [
        _field("hardship", "multi_choice", "困难类型", "Kind of hardship", True,
               options=_options(("illness", "重大疾病", "serious illness"),
                                ("disaster", "自然灾害", "natural disaster"),
                                ("accident", "意外事故", "accident"),
                                ("other", "其他", "other"))),
    ],
    "HOMESTEAD": [
        _field("village_group", "text", "村民小组", "Village group", True),
        _field("area", "number", "申请面积（平方米）", "Area applied for (m²)", True, min=1, max=300),
        _field("has_homestead", "yes_no", "现有宅基地", "Already has a homestead", True),
        _field("household_head_id", "id_number", "户主身份证号", "Head of household's ID number"),
    ],
    "BUSINESS-REG": [
        _field("business_name", "text", "拟用字号", "Proposed business name", True),
        _field("business_kind", "choice", "经营类别", "Line of business", True,
               options=_options(("retail", "零售", "retail"), ("catering", "餐饮", "catering"),
                                ("repair", "维修", "repair"), ("farming", "种养殖", "farming"))),
    ],
    "DISABILITY-SUB": [
        _field("certificate_no", "text", "残疾人证号", "Disability certificate number", True,
               pattern=r"\d{17}[\dX]\d{2}"),
        _field("guardian_phone", "phone", "监护人电话", "Guardian's phone"),
    ],
    "LABOUR-REG": [
        _field("destination", "text", "意向务工地", "Where the citizen wants to work"),
        _field("skills", "multi_choice", "技能", "Skills",
               options=_options(("construction", "建筑", "construction"),
                                ("driving", "驾驶", "driving"), ("cooking", "烹饪", "cooking"),
                                ("care", "护理", "care work"))),
    ],
}
