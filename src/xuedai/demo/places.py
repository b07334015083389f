"""The demo province: real Sichuan counties and universities (DOMAIN.md §2 tree).

County codes are GB/T 2260 codes that python-stdnum's cn/loc table knows, so every generated
身份证号 passes `stdnum.cn.ric.is_valid` and its birth county resolves to a real place.
Weights are each county's rough share of student-loan borrowers: poorer and more populous
counties (三台, 南部, 资中) borrow most; 昭觉 is small but nearly every family qualifies.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: str          # prefecture (地级市/自治州) for the address line
    postal_code: str
    towns: tuple[str, ...]
    weight: int
    yi_share: float = 0.0  # share of 彝族 households (Liangshan, Panzhihua)
    agent_bank: str = ""   # code of the agent bank (代理行) that collects its repayments, if any
    # An ID number keeps the division code of the year it was issued (GB 11643), and stdnum checks
    # that the code existed in the birth year. (from birth year, code) for the county's earlier
    # codes, as stdnum's cn/loc table dates them; the current code applies from the year after.
    earlier_codes: tuple[tuple[int, str], ...] = ()
    current_code_from: int = 0

    def id_codes(self) -> list[tuple[int, str]]:
        """(from birth year, code) pairs covering every year, oldest first, the current code last."""
        return [*self.earlier_codes, (self.current_code_from, self.code)]


COUNTIES: list[County] = [
    County("510722", "三台县", "绵阳市", "621100",
           ("潼川镇", "芦溪镇", "西平镇", "塔山镇", "新德镇", "石安镇", "花园镇"), 16, agent_bank="AB-SCRCU",
           earlier_codes=((0, "512833"),), current_code_from=1985),
    County("511321", "南部县", "南充市", "637300",
           ("南隆街道", "大桥镇", "定水镇", "建兴镇", "升钟镇", "王家镇"), 15, agent_bank="AB-NCCB",
           earlier_codes=((0, "512922"),), current_code_from=1993),
    County("510824", "苍溪县", "广元市", "628400",
           ("陵江镇", "元坝镇", "歧坪镇", "白驿镇", "东青镇", "运山镇"), 9,
           earlier_codes=((0, "512931"),), current_code_from=1985),
    County("513431", "昭觉县", "凉山彝族自治州", "616150",
           ("新城镇", "竹核镇", "四开镇", "比尔镇", "三岔河镇"), 6, yi_share=0.9),
    County("510603", "旌阳区", "德阳市", "618000",
           ("旌阳街道", "城北街道", "孝泉镇", "黄许镇", "德新镇", "双东镇"), 7,
           earlier_codes=((0, "512821"), (1983, "510621"), (1984, "510602")), current_code_from=1996),
    County("511602", "广安区", "广安市", "638000",
           ("浓洄街道", "北辰街道", "协兴镇", "花桥镇", "龙台镇", "恒升镇"), 10, agent_bank="AB-NCCB",
           earlier_codes=((0, "512925"), (1993, "513621")), current_code_from=1998),
    County("510182", "彭州市", "成都市", "611930",
           ("天彭街道", "致和街道", "丽春镇", "濛阳街道", "丹景山镇", "龙门山镇"), 7,
           earlier_codes=((0, "512726"), (1983, "510126")), current_code_from=1993),
    County("511523", "江安县", "宜宾市", "644200",
           ("江安镇", "红桥镇", "怡乐镇", "留耕镇", "底蓬镇", "大井镇"), 7, agent_bank="AB-SCRCU",
           earlier_codes=((0, "512529"),), current_code_from=1996),
    County("510422", "盐边县", "攀枝花市", "617100",
           ("桐子林镇", "红格镇", "渔门镇", "永兴镇", "惠民镇", "新九镇"), 4, yi_share=0.2),
    County("511025", "资中县", "内江市", "641200",
           ("重龙镇", "归德镇", "球溪镇", "银山镇", "鱼溪镇", "龙结镇"), 14,
           earlier_codes=((0, "512422"),), current_code_from=1985),
]


@dataclass(frozen=True)
class University:
    code: str          # the Ministry of Education institution code
    name: str
    region_code: str
    vocational: bool   # a 高职 college enrols 专科 students only
    tuition: int       # typical annual tuition (yuan) for its main level
    accommodation: int
    weight: int
    departments: tuple[tuple[str, tuple[str, ...]], ...]  # (department, majors)


UNIVERSITIES: list[University] = [
    University("10610", "四川大学", "510107", False, 5500, 1200, 26, (
        ("经济学院", ("经济学", "金融学", "国际经济与贸易")),
        ("法学院", ("法学",)),
        ("文学与新闻学院", ("汉语言文学", "新闻学")),
        ("数学学院", ("数学与应用数学", "统计学")),
        ("计算机学院", ("计算机科学与技术", "软件工程", "网络空间安全")),
        ("华西临床医学院", ("临床医学", "护理学")),
        ("化学学院", ("化学", "应用化学")),
        ("建筑与环境学院", ("建筑学", "环境工程")),
    )),
    University("10613", "西南交通大学", "510117", False, 5200, 1100, 20, (
        ("土木工程学院", ("土木工程", "道路桥梁与渡河工程")),
        ("机械工程学院", ("机械设计制造及其自动化", "车辆工程")),
        ("电气工程学院", ("电气工程及其自动化", "轨道交通信号与控制")),
        ("交通运输与物流学院", ("交通运输", "物流工程")),
        ("经济管理学院", ("工商管理", "会计学")),
        ("外国语学院", ("英语", "翻译")),
    )),
    University("10614", "电子科技大学", "510117", False, 5800, 1200, 16, (
        ("信息与通信工程学院", ("通信工程", "电子信息工程")),
        ("计算机科学与工程学院", ("计算机科学与技术", "人工智能")),
        ("集成电路科学与工程学院", ("微电子科学与工程", "集成电路设计与集成系统")),
        ("自动化工程学院", ("自动化", "测控技术与仪器")),
        ("经济与管理学院", ("信息管理与信息系统", "财务管理")),
    )),
    University("10615", "西南石油大学", "510114", False, 5000, 1000, 14, (
        ("石油与天然气工程学院", ("石油工程", "油气储运工程")),
        ("地球科学与技术学院", ("地质学", "资源勘查工程")),
        ("化学化工学院", ("化学工程与工艺", "应用化学")),
        ("机电工程学院", ("机械设计制造及其自动化", "过程装备与控制工程")),
        ("计算机科学学院", ("计算机科学与技术", "软件工程")),
        ("经济管理学院", ("会计学", "市场营销")),
        ("法学院", ("法学",)),
    )),
    University("10636", "四川师范大学", "510112", False, 4600, 1000, 14, (
        ("文学院", ("汉语言文学", "秘书学")),
        ("数学科学学院", ("数学与应用数学",)),
        ("教育科学学院", ("教育学", "学前教育", "小学教育")),
        ("历史文化与旅游学院", ("历史学", "旅游管理")),
        ("外国语学院", ("英语", "日语")),
        ("体育学院", ("体育教育",)),
    )),
    University("12820", "四川交通职业技术学院", "510115", True, 5800, 1000, 10, (
        ("道路与桥梁工程系", ("道路与桥梁工程技术",)),
        ("汽车工程系", ("汽车检测与维修技术", "新能源汽车技术")),
        ("轨道交通系", ("城市轨道交通运营管理",)),
        ("信息工程系", ("计算机网络技术", "软件技术")),
    )),
]

# Agent banks (代理行): branch → agent bank; each collects the repayments of some counties (§4 渠道).
AGENT_BANKS = [
    ("AB-SCRCU", "四川省农村信用社联合社", "510000"),
    ("AB-NCCB", "南充农村商业银行", "511302"),
]
