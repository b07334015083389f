"""Name lists for demo people. Sichuan's surname mix, given-name characters by generation and sex,
and Yi (彝族) names for Liangshan, where 昭觉县 lies.

Weights are rough shares, so that 王/李/张/刘/陈 dominate as they do in a real register; exact
frequencies do not matter, a plausible look does.
"""

# Han surnames with rough weights (per mille); 杨, 何, 罗, 邓 are more common in Sichuan than nationally.
SURNAMES: list[tuple[str, int]] = [
    ("王", 72), ("李", 74), ("张", 68), ("刘", 55), ("陈", 52), ("杨", 40), ("黄", 22), ("赵", 18),
    ("吴", 17), ("周", 20), ("徐", 13), ("孙", 8), ("马", 9), ("朱", 10), ("胡", 14), ("郭", 9),
    ("何", 22), ("高", 9), ("林", 6), ("罗", 20), ("郑", 7), ("梁", 6), ("谢", 12), ("宋", 6),
    ("唐", 14), ("许", 5), ("韩", 4), ("冯", 8), ("邓", 15), ("曹", 6), ("彭", 10), ("曾", 12),
    ("肖", 9), ("田", 6), ("董", 5), ("袁", 8), ("潘", 4), ("于", 3), ("蒋", 10), ("蔡", 4),
    ("余", 8), ("杜", 7), ("叶", 4), ("程", 5), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 7), ("沈", 3), ("姚", 4), ("卢", 5), ("姜", 3), ("崔", 2), ("钟", 5), ("谭", 6),
    ("陆", 2), ("汪", 3), ("范", 4), ("金", 2), ("石", 4), ("廖", 7), ("贾", 2), ("夏", 3),
    ("付", 6), ("方", 3), ("邹", 4), ("熊", 5), ("白", 3), ("孟", 2), ("秦", 3), ("邱", 4),
    ("侯", 3), ("江", 3), ("尹", 3), ("薛", 2), ("段", 3), ("雷", 4), ("黎", 2), ("史", 2),
    ("龙", 3), ("陶", 3), ("贺", 3), ("顾", 1), ("毛", 3), ("郝", 1), ("龚", 3), ("邵", 2),
    ("万", 3), ("覃", 1), ("武", 2), ("戴", 2), ("莫", 1), ("向", 4), ("汤", 2), ("文", 4),
    ("敬", 2), ("母", 1), ("苟", 2), ("蒲", 2), ("税", 1), ("冉", 2), ("牟", 2), ("鲜", 1),
]

# Given-name characters for people born around 2000 (students) and 1965–1985 (parents).
# A given name is one character or two; two-character names draw each position from its list.
YOUNG_MALE_1 = list("浩宇子俊博文明泽一嘉皓思睿天佳志家晨奕俊建梓鑫雨伟海杰鹏")
YOUNG_MALE_2 = list("轩涛宇豪然杰辉阳翔鹏磊成林强楠浩航瑞铭凯川龙斌峰晨超旭")
YOUNG_FEMALE_1 = list("欣梓思雨佳诗雅可紫嘉若怡子晓一欣婉静梦雪丽佩心语美玉馨")
YOUNG_FEMALE_2 = list("怡涵萱琪彤妍琳婷雯悦然瑶颖晴洁蕾菲娜倩敏茜璐月霞露玲慧")
OLD_MALE_1 = list("建国志德永明继洪光学长国文庆春兴成德宗世德正治福贵元")
OLD_MALE_2 = list("华强军平明林生荣富贵才安兵勇云发伟东辉友全刚良斌忠")
OLD_FEMALE_1 = list("秀桂玉淑凤丽春兰翠素红美德明金英琼晓")
OLD_FEMALE_2 = list("英兰芳珍华琼梅芬莲霞蓉群萍娟凤琴丽清云秀")

# Yi (彝族) clan names and given names, in the usual Chinese transliteration (吉克曲布, 阿苏拉则).
YI_SURNAMES = ["吉克", "阿苏", "沙马", "吉伍", "阿都", "俄底", "马海", "海来", "吉木", "阿尔",
               "勒格", "吉好", "瓦其", "阿的", "俄木", "马黑", "日火", "巴莫", "加拉", "尔古"]
YI_MALE = ["曲布", "拉则", "伍各", "日火", "木呷", "尔哈", "子哈", "依火", "拉哈", "史哈", "约达",
           "伍沙", "阿牛", "布哈", "石且"]
YI_FEMALE = ["阿呷", "子莫", "阿依", "史莫", "依莫", "拉莫", "么作", "五呷", "阿芝", "日莫", "木果",
             "尔作", "呷莫", "小英", "拉姆"]

# Emergency contacts who are not a parent: (relation as written on the form, male, paternal side).
# The father's side shares the student's surname; the mother's side does not.
EMERGENCY_RELATIONS_OLDER = [("叔叔", True, True), ("伯父", True, True), ("姑姑", False, True),
                             ("爷爷", True, True), ("舅舅", True, False), ("姨妈", False, False),
                             ("外婆", False, False)]
EMERGENCY_RELATIONS_SIBLING = ["哥哥", "姐姐"]

# Villages (村) and residents' groups: household addresses in a county read 某镇某村某组某号.
VILLAGES = ["新华", "红星", "和平", "光明", "团结", "长乐", "太平", "双河", "石桥", "白果", "青杠",
            "金龙", "永安", "凤凰", "马鞍", "柏林", "桂花", "黄桷", "水井", "新民", "建设", "胜利",
            "大堰", "花果", "檬子", "松林", "龙泉", "三合", "五星", "向阳"]

# Co-borrowers' work as written on the contract: most parents of aid applicants farm or migrate.
PARENT_WORK = [("务农", 45), ("外出务工", 22), ("个体经营", 10), ("建筑工人", 6), ("无固定职业", 6),
               ("乡村教师", 2), ("村卫生室", 1), ("快递员", 3), ("餐饮服务员", 3), ("环卫工人", 2)]

# Graduates' employers (city, name): Chengdu first, as in the real flow of Sichuan graduates.
EMPLOYERS = [
    ("成都", "成都高新区某电子科技有限公司"), ("成都", "中铁二局集团有限公司"),
    ("成都", "四川长虹电子控股集团"),
    ("成都", "成都市第七中学"), ("成都", "四川省人民医院"), ("成都", "中国移动四川分公司"),
    ("成都", "成都京东方光电科技有限公司"), ("成都", "新希望集团有限公司"),
    ("成都", "腾讯科技(成都)有限公司"),
    ("成都", "成都农村商业银行"), ("重庆", "重庆长安汽车股份有限公司"), ("深圳", "华为技术有限公司"),
    ("深圳", "比亚迪股份有限公司"), ("广州", "广州某物流有限公司"), ("绵阳", "四川九洲电器集团"),
    ("德阳", "东方电气集团"), ("南充", "南充市中心医院"), ("宜宾", "宜宾五粮液股份有限公司"),
    ("攀枝花", "攀钢集团有限公司"), ("西昌", "凉山州某中学"), ("北京", "北京某互联网公司"),
    ("上海", "上海某贸易有限公司"), ("杭州", "杭州某网络科技有限公司"), ("成都", "某县人民政府"),
]
CITY_PHONE_AREA = {"成都": "028", "重庆": "023", "深圳": "0755", "广州": "020", "绵阳": "0816",
                   "德阳": "0838", "南充": "0817", "宜宾": "0831", "攀枝花": "0812", "西昌": "0834",
                   "北京": "010", "上海": "021", "杭州": "0571"}

# China Mobile / Unicom / Telecom prefixes in use in Sichuan.
MOBILE_PREFIXES = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "182",
                   "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
                   "153", "180", "181", "189", "199", "177", "173", "198"]
