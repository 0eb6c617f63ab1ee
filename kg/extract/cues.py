"""Context words that type a name nobody has listed: class nouns, titles, suffixes.

These are closed-class cues of news Chinese and English, not names: they generalise to
articles about any company.
"""
from __future__ import annotations

from kg.nlp.zh import CLASS_NOUNS

# A class noun right before a name: 数据中心公司Digital Realty Trust, 运营商Applied Digital. Before
# a Latin name the looser nouns (集团, 机构, 巨头) are safe too; before a Chinese name only the
# segmenter's CLASS_NOUNS are.
ORG_CLASS_NOUNS_ZH = (*CLASS_NOUNS, "银行", "机构", "基金", "券商", "投行", "集团", "初创公司", "初创企业", "交易所",
                      "实验室", "研究所", "巨头", "对冲基金", "资管", "投资公司", "咨询公司", "研究公司", "创业公司")
OUTLET_CLASS_NOUNS_ZH = ("媒体", "网站", "杂志", "通讯社", "电视台", "外媒", "报")
# A suffix that belongs to the name (Atreides管理公司, 富邦控股), with its English equivalent so
# that a Latin name with a Chinese suffix gets the same IRI as the English name.
ORG_SUFFIXES_ZH = {"股份有限公司": "", "有限责任公司": "", "有限公司": "", "管理公司": "management",
                   "资本管理": "capital management", "资产管理": "asset management", "控股公司": "holdings",
                   "公司": "", "集团": "group", "银行": "bank", "资本": "capital", "基金": "fund",
                   "证券": "securities", "控股": "holdings", "实验室": "labs", "研究院": "research institute",
                   "科技": "technology"}
# What follows a company name and nothing else: Vistra股价, TD Cowen分析师.
ORG_FOLLOWERS_ZH = ("股价", "股票", "市值", "分析师", "发言人", "首席执行官", "ceo", "创始人", "联合创始人",
                    "董事长", "旗下", "总部", "财报", "营收")
# Nouns of people, not organisations, that can follow a class noun: 公司高管, 公司股东.
ROLE_NOUNS_ZH = ("高管", "员工", "股东", "董事", "董事会", "客户", "用户", "人士", "代表", "团队", "管理层", "人员")
# Verbs whose object can only be an organisation: 收购Sumo Group, 入股Mistral.
ORG_VERBS_ZH = ("收购", "并购", "收购了", "入股", "注资", "投资了", "领投", "起诉", "联手", "携手", "买下")
# Last words of English organisation names, inside Chinese or English text.
ORG_WORDS_EN = {"inc", "inc.", "corp", "corp.", "corporation", "group", "holdings", "capital", "partners",
                "management", "technologies", "technology", "labs", "systems", "networks", "bank", "securities",
                "research", "ventures", "trust", "semiconductor", "electronics", "energy", "motors", "robotics",
                "ltd", "ltd.", "llc", "plc", "co.", "company", "foundation", "university", "institute",
                "computing", "software", "solutions", "devices", "dynamics", "therapeutics", "industries",
                "communications", "media", "entertainment", "pharmaceuticals", "airlines", "bancorp",
                "financial", "insurance", "investments", "associates", "analytics", "instruments", "cloud",
                "microdevices", "micro", "photonics", "semiconductors", "data"}
# A product noun right before a name: 核心产品DepthEye, 芯片Blackwell.
PRODUCT_NOUNS_ZH = ("产品", "芯片", "模型", "大模型", "平台", "应用", "系统", "手机", "软件", "服务", "处理器",
                    "加速器", "机器人", "相机", "模组")
# Titles right before a person's name: 首席投资官Gavin Baker, 微软CEO纳德拉.
TITLES_ZH = ("联合创始人", "创始人", "创办人", "管理合伙人", "合伙人", "首席执行官", "首席投资官", "首席技术官",
             "首席财务官", "首席运营官", "首席科学家", "行政总裁", "执行长", "副总裁", "总裁", "董事长", "董事",
             "主席", "发言人", "高管", "经理", "总监", "研究员", "教授", "工程师", "分析师", "投资人", "负责人",
             "ceo", "cto", "cfo", "coo")
# What may follow a Chinese personal name after a title.
NAME_FOLLOWERS_ZH = ("表示", "称", "说", "认为", "指出", "透露", "强调", "预计", "坦言", "均", "也", "在", "和",
                     "与", "、", "，", ",", "。", "：", ":", "的")
# Quantifiers that make a class noun phrase a group of organisations: 多个私营数据中心运营商.
GROUP_QUANTIFIERS_ZH = ("多个", "多家", "数家", "几家", "两家", "三家", "四家", "一些", "部分", "其他", "众多",
                        "多名", "若干")
GROUP_HEADS_ZH = ("运营商", "营运商", "业者", "供应商", "制造商", "开发商", "厂商", "公司", "企业", "机构", "银行", "客户")

GROUP_QUANTIFIERS_EN = ("two", "three", "four", "five", "several", "multiple", "some", "many", "other",
                        "various", "numerous", "few", "dozen", "dozens")
GROUP_HEADS_EN = ("operator", "company", "firm", "provider", "supplier", "bank", "developer", "maker",
                  "manufacturer", "startup", "lender", "customer", "landlord")

# Latin tokens that are words of the trade, not names.
NOT_NAMES = {"ai", "ceo", "cto", "cfo", "coo", "gpu", "gpus", "cpu", "api", "ipo", "etf", "usd", "it", "pc",
             "app", "ar", "vr", "llm", "agi", "ml", "ok", "the", "a", "an", "q1", "q2", "q3", "q4", "esg",
             "saas", "iot", "5g", "6g", "ev", "evs", "capex", "hbm", "asic", "tpu", "npu", "cloud", "email",
             "mw", "gw", "kw", "mwh", "gwh", "twh", "kwh", "ghz", "nm"}
# Titles an English NER span may run into: "Crestline CFO" is the company Crestline.
TITLES_EN = {"ceo", "cfo", "cto", "coo", "chairman", "chairwoman", "president", "founder", "co-founder",
             "cofounder", "spokesperson", "spokesman", "spokeswoman", "executive", "analyst", "chief"}
# Words that continue a place name the NER cut short: "Richland Parish", "Loudoun County".
PLACE_WORDS_EN = ("Parish", "County", "City", "Province", "District", "Township", "Prefecture", "Borough")
