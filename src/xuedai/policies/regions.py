"""Province names for the 2-digit region codes of policy versions (GB/T 2260 province level).

A policy version's region is "" (national) or a province's two digits; pages show the name.
"""

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}

NATIONAL_LABEL = "全国"


def province_of(region_code: str) -> str:
    """"510722" (三台县) → "51"; "" stays "" (national)."""
    return (region_code or "")[:2]


def region_label(region_code: str) -> str:
    if not region_code:
        return NATIONAL_LABEL
    return PROVINCES.get(region_code[:2], region_code)


def region_choices() -> list[tuple[str, str]]:
    return [("", NATIONAL_LABEL), *((code, f"{code} {name}") for code, name in PROVINCES.items())]
