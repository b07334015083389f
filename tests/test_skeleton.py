import pytest
from stdnum.cn import ric

from tests import factories
from xuedai.identity.idnumbers import IdNumberError, clean_id_number, make_id_number
from xuedai.identity.masking import mask_id_number, mask_phone, mask_value


def test_generated_id_numbers_pass_stdnum():
    import datetime as dt

    number = make_id_number("510722", dt.date(2004, 3, 15), 123)
    assert ric.is_valid(number)
    assert clean_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("raw", "message"),
    [("123", "18位"), ("5107222004A315123X", "格式"), ("510722200403151230", "校验位"),
     ("51072220040230123X", "出生日期"), ("990722200403151236", "出生地")],
)
def test_bad_id_numbers_get_chinese_reasons(raw, message):
    with pytest.raises(IdNumberError, match=message):
        clean_id_number(raw)


def test_masking():
    assert mask_id_number("51072220040315123X") == "5107**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_value("学生 51072220040315123X 电话13812345678") == "学生 5107**********123X 电话138****5678"


@pytest.mark.django_db
def test_province_tree_paths():
    p = factories.build_province()
    county = p.counties[0]
    assert county.path == f"{p.head.path}{p.branch.pk}/{p.centre.pk}/{county.pk}/"
    assert p.centre.is_ancestor_of(county)
    assert not county.is_ancestor_of(p.centre)


def test_parent_born_before_the_county_code_existed_is_accepted():
    import datetime as dt

    # 510722 (三台县) was assigned in 1985; a parent born in 1975 was issued it later.
    number = make_id_number("510722", dt.date(1975, 5, 1), 123)
    assert not ric.is_valid(number)  # stdnum alone would refuse the parent
    assert clean_id_number(number) == number
