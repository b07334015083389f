"""生源地 forms: every document renders, prints as non-blank pages, reads back its title and data
with no missing glyphs."""

import pytest

from xuedai.documents import checks, home_county

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    (home_county.application_form_pdf, home_county.APPLICATION_FORM_TITLE, 1),
    (home_county.contract_pdf, home_county.CONTRACT_TITLE, 4),
    (home_county.acceptance_certificate_pdf, home_county.ACCEPTANCE_TITLE, 1),
    (home_county.default_notice_pdf, home_county.DEFAULT_NOTICE_TITLE, 1),
]


@pytest.mark.parametrize(("build", "title", "pages"), DOCUMENTS, ids=lambda v: getattr(v, "__name__", None))
def test_document_renders_and_prints(contract, tmp_path, build, title, pages):
    pdf = build(contract)
    text = checks.assert_no_missing_glyphs(pdf, title, contract.contract_no, contract.borrower.name)
    pngs = checks.pdf_to_png(pdf, tmp_path)
    assert len(pngs) == pages
    assert all(p.stat().st_size > 5000 and not checks.png_is_blank(p) for p in pngs)
    assert text


def test_application_form_has_both_parties_and_amount_in_words(contract):
    text = checks.pdf_text(home_county.application_form_pdf(contract))
    flat = "".join(text.split())
    for wanted in (contract.borrower.id_number, contract.co_borrower.id_number, "陆仟元整", "¥6,000.00",
                   "首次申请填写", "四川大学", "12年"):
        assert wanted in flat, wanted


def test_contract_has_four_labelled_copies_and_the_terms(contract):
    pdf = home_county.contract_pdf(contract)
    flat = "".join(checks.pdf_text(pdf).split())
    for copy in home_county.CONTRACT_COPIES:
        assert "".join(copy.split()) in flat
    assert flat.count("陆仟元整") == 4
    for wanted in ("6.55%", "2036年12月20日", "12月21日为固定还款日", "130%", "支付宝账户",
                   "国家开发银行四川省分行", "2026年9月1日", "学费4,500.00元", "剩余部分300.00元作为生活费"):
        assert wanted in flat, wanted


def test_contract_prints_the_alipay_account_when_there_is_one(contract):
    contract.alipay_account = "xd2024000001@cdb"
    assert "xd2024000001@cdb" in checks.pdf_text(home_county.contract_pdf(contract, copies=["第三联"]))


def test_default_notice_follows_the_seed_and_the_policy(contract):
    flat = "".join(checks.pdf_text(home_county.default_notice_pdf(contract)).split())
    assert "生源地助学贷款不是无偿的" in flat
    assert "罚息利率为正常借款利率的130%" in flat
    assert "每年12月21日为固定还款日" in flat and "固定还款日10日前" in flat
    # xuedai has no birth-date default password (DOMAIN.md §9)
    assert "默认密码" not in flat


def test_signing_pack_is_contract_certificate_and_notice(contract):
    pdf = home_county.signing_pack_pdf(contract)
    assert checks.pdf_page_count(pdf) == 6
    text = checks.assert_no_missing_glyphs(pdf, home_county.CONTRACT_TITLE, home_county.ACCEPTANCE_TITLE,
                                           home_county.DEFAULT_NOTICE_TITLE)
    flat = "".join(text.split())
    assert flat.index(home_county.CONTRACT_TITLE) < flat.index(home_county.ACCEPTANCE_TITLE)


def test_download_names_carry_no_personal_data(contract):
    name = home_county.download_filename("contract", contract)
    assert name == f"借款合同-2024-{contract.contract_no}.pdf"
    assert contract.borrower.name not in name and contract.borrower.id_number not in name


def test_works_without_a_co_borrower_or_saved_row(contract):
    contract.co_borrower = None
    pdf = home_county.contract_pdf(contract, copies=["第一联"])
    assert home_county.CONTRACT_TITLE in checks.pdf_text(pdf)


def test_application_form_prints_from_an_online_application(contract):
    from xuedai.origination.models import Application

    application = Application(borrower=contract.borrower, academic_year=2025, county=contract.county,
                              university=contract.university, amount=contract.amount, term_years=10,
                              tuition=contract.tuition, accommodation=contract.accommodation,
                              co_borrower=contract.co_borrower, is_renewal=True,
                              submitted_on=contract.applied_on)
    pdf = home_county.application_form_pdf(application)
    flat = "".join(checks.assert_no_missing_glyphs(pdf, home_county.APPLICATION_FORM_TITLE).split())
    assert "2025—2026学年" in flat and "10年（120个月）" in flat


def test_batch_tables_are_reachable_from_home_county():
    assert home_county.county_summary_xlsx is not None and home_county.province_summary_xlsx is not None
