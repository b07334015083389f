"""Ship the policy versions of DOMAIN.md §1: the two seed regimes and the national notices.

The data lives here, not in an importable module, so this migration means the same thing forever
(a later edit of runtime code cannot change what was shipped). Rates are fractions (0.0655 = 6.55%).

Choices made where a source is silent (each also stated in the row's `source`):
- Seed fixed rates are the PBOC benchmark for loans over five years in force when the version
  starts: 7.56% from 22 Aug 2007, 6.55% from 6 Jul 2012 (PBOC benchmark adjustments of those dates).
  [003] 第十七条 ties the rate to "中国人民银行公布的法定贷款利率".
- Penalty 130%: [001 附件四]; [003] says "按中国人民银行有关规定", whose floor is +30%.
- Home-county risk fund before 2021: 15% of the year's loans, borne by finance (the national
  生源地 pilot rules); campus before 2021: [003]'s 14% split 50/50 for Jilin, 15% split 50/50 national.
- The 2023 classification rule (《商业银行金融资产风险分类办法》, in force 1 Jul 2023) is its own
  version on 2023-07-01 for every product, because it governs classification from that day while
  the 2023 student-loan notice (amounts, rate) starts with the autumn term.
- Commercial loans [002] have no policy caps: amounts and term are the bank's approval (blank).
"""

from decimal import Decimal as D

from django.db import migrations

# ---- the seed regimes ----------------------------------------------------------------------------

SICHUAN_2012 = {
    "product": "home_county", "region_code": "51", "effective_from": "2012-07-06",
    "name": "四川省生源地信用助学贷款（2012年业务指南）",
    "source": "[001] 国家开发银行四川分行2012年生源地信用助学贷款业务指南：附件二（额度1000–6000元百元整数、"
              "期限5–14年且毕业后≤10年、共同借款人25–60岁同县户籍）；附件四（毕业当年9月1日起自付、12月21日"
              "还款日提前10日存款、罚息130%）；三（提前还款每月10日前申请）。利率：人民银行2012-07-06五年以上"
              "贷款基准利率6.55%。风险补偿金15%由财政承担（生源地试点办法）。",
    "amount_min": D("1000"), "amount_max_undergraduate": D("6000"), "amount_max_graduate": D("6000"),
    "amount_multiple": D("100"),
    "term_rule": "seed_2012", "term_min_years": 5, "term_max_years": 14, "term_years_after_study": 10,
    "grace_years": 0, "max_extensions": 0,
    "rate_kind": "fixed", "fixed_rate": D("0.06550"), "lpr_spread_bp": None,
    "rate_applies_to_existing": False, "interest_basis": "pboc",
    "self_pay_rule": "sep1_of_graduation_year",
    "settlement_day": "12-20", "final_settlement_day": "12-20", "repayment_day": "12-21",
    "deposit_days_before": 10,
    "early_repayment_rule": "seed_before_10th", "early_repayment_notice_days": 0,
    "early_repayment_notice_working_days": False,
    "penalty_multiplier": D("1.30"), "misuse_penalty_multiplier": D("1.50"),
    "transit_grace_working_days": 0,
    "co_borrower_required": True, "guarantee_required": False,
    "co_borrower_min_age": 25, "co_borrower_max_age": 60, "co_borrower_same_county": True,
    "co_borrower_age_applies_to_parents": True, "co_borrower_no_unpaid_loan": False,
    "classification_rule": "seed",
    "risk_fund_rate": D("0.15"), "risk_fund_finance_share": D("1"), "risk_fund_university_share": D("0"),
    "quota_rule": "none", "quota_student_share": None, "quota_amount_per_student": None,
}

JILIN_2007 = {
    **SICHUAN_2012,
    "product": "campus", "region_code": "22", "effective_from": "2007-09-01",
    "name": "吉林省属高校国家助学贷款（2007年合作协议）",
    "source": "[003] 吉教联字[2007]12号：每生每学年≤4500元（第七条）；四年制≤7年、其他学制相应调整（第十六条）；"
              "毕业次月1日起自付（第十八、十九条）；结息日12月20日；提前15天申请提前还款（第二十八条）；"
              "额度=在校生15%×4500元（合作协议第十一条）；风险补偿金14%财政高校各50%（第二十三条）。"
              "利率：人民银行2007-08-22五年以上贷款基准利率7.56%（2007学年起）。",
    "amount_min": D("0"), "amount_max_undergraduate": D("4500"), "amount_max_graduate": D("4500"),
    # [003] states no multiple; contracts are in whole yuan.
    "amount_multiple": D("1"),
    "term_rule": "campus_2007", "term_min_years": 0, "term_max_years": 7, "term_years_after_study": 3,
    # [003] 第二十一条: 继续攻读学位可申请展期 (the seed states no count: one).
    "max_extensions": 1,
    "fixed_rate": D("0.07560"),
    "self_pay_rule": "month_after_certificate",
    "repayment_day": "12-20", "deposit_days_before": 0,
    "early_repayment_rule": "notice", "early_repayment_notice_days": 15,
    "co_borrower_required": False, "co_borrower_same_county": False,
    "risk_fund_rate": D("0.14"), "risk_fund_finance_share": D("0.5"), "risk_fund_university_share": D("0.5"),
    "quota_rule": "enrolment_share", "quota_student_share": D("0.15"),
    "quota_amount_per_student": D("4500"),
}

# ---- the national notices ------------------------------------------------------------------------

NATIONAL_HOME_2020 = {
    **SICHUAN_2012,
    "region_code": "", "effective_from": "2020-01-01",
    "name": "国家助学贷款政策（2020年）",
    "source": "2020年财政部、教育部、人民银行、银保监会调整国家助学贷款政策：期限学制剩余年限+15年最长22年、"
              "还本宽限期5年、新签合同利率按5年期以上LPR减30个基点（人民银行公告〔2019〕第30号：2020-01-01起新贷款"
              "以LPR定价）；额度本专科8000元、研究生12000元（2014年标准未变）。",
    "amount_max_undergraduate": D("8000"), "amount_max_graduate": D("12000"),
    "term_rule": "study_plus", "term_min_years": 0, "term_max_years": 22, "term_years_after_study": 15,
    "grace_years": 5,
    "rate_kind": "lpr_minus", "fixed_rate": None, "lpr_spread_bp": 30,
    "repayment_day": "12-20", "final_settlement_day": "09-20", "deposit_days_before": 0,
    "early_repayment_rule": "by_15th",
    "transit_grace_working_days": 7,
    "co_borrower_age_applies_to_parents": False, "co_borrower_no_unpaid_loan": True,
}
NATIONAL_CAMPUS_2020 = {
    **NATIONAL_HOME_2020,
    "product": "campus",
    "amount_min": D("0"), "amount_multiple": D("1"),
    "co_borrower_required": False, "co_borrower_same_county": False,
    "risk_fund_finance_share": D("0.5"), "risk_fund_university_share": D("0.5"),
}

NOTICE_2021 = {
    "effective_from": "2021-09-01", "name": "国家助学贷款政策（2021年秋季学期起）",
    "source": "2021年财政部、教育部、人民银行、银保监会《关于进一步完善国家助学贷款政策的通知》：本专科≤12000元、"
              "研究生≤16000元（2021年秋季学期起）；风险补偿金按当年贷款发生额5%。其余沿用2020年政策。",
    "amount_max_undergraduate": D("12000"), "amount_max_graduate": D("16000"),
    "risk_fund_rate": D("0.05"),
}
CLASSIFICATION_2023 = {
    "effective_from": "2023-07-01", "name": "资产风险分类新规（2023年7月1日起）",
    "source": "《商业银行金融资产风险分类办法》（国家金融监督管理总局、中国人民银行令2023年第1号）2023-07-01起施行："
              "逾期1–90天关注、91–270天次级、271–360天可疑、360天以上损失。其余参数沿用上一版本。",
    "classification_rule": "2023",
}
NOTICE_2023 = {
    "effective_from": "2023-09-01", "name": "国家助学贷款政策（2023年秋季学期起）",
    "source": "2023年财政部、教育部、人民银行、金融监管总局调整完善国家助学贷款政策的通知：本专科≤16000元、"
              "研究生≤20000元；利率由LPR减30个基点调整为LPR减60个基点，存量借款人同步下调。",
    "amount_max_undergraduate": D("16000"), "amount_max_graduate": D("20000"),
    "lpr_spread_bp": 60, "rate_applies_to_existing": True,
}
NOTICE_2024 = {
    "effective_from": "2024-09-01", "name": "国家助学贷款政策（2024年秋季学期起）",
    "source": "2024年秋季学期起提高国家助学贷款额度：本专科≤20000元、研究生≤25000元；利率仍为LPR减60个基点"
              "（本次调整不涉及存量合同利率）。",
    "amount_max_undergraduate": D("20000"), "amount_max_graduate": D("25000"),
    "rate_applies_to_existing": False,
}

COMMERCIAL = {
    **SICHUAN_2012,
    "product": "commercial", "region_code": "",
    # [002] is undated; the version must cover every commercial contract the system may hold.
    "effective_from": "2000-09-01",
    "name": "商业助学贷款（银行自营）",
    "source": "[002] 商业助学贷款：额度、期限、利率由贷款银行审批并在借款合同中约定；须提供担保或抵（质）押；"
              "提前还款须提前30个工作日申请；每笔贷款只可展期一次；先收息后还本；无财政贴息。罚息按人民银行规定"
              "（逾期加收30%、挪用加收50%）。",
    "amount_min": D("0"), "amount_max_undergraduate": None, "amount_max_graduate": None,
    "amount_multiple": D("1"),
    "term_rule": "bank", "term_min_years": 0, "term_max_years": None, "term_years_after_study": None,
    "max_extensions": 1,
    "rate_kind": "contract", "fixed_rate": None,
    "self_pay_rule": "from_disbursement",
    "repayment_day": "12-20", "deposit_days_before": 0,
    "early_repayment_rule": "notice", "early_repayment_notice_days": 30,
    "early_repayment_notice_working_days": True,
    "co_borrower_required": False, "guarantee_required": True, "co_borrower_same_county": False,
    "risk_fund_rate": D("0"), "risk_fund_finance_share": D("0"), "risk_fund_university_share": D("0"),
}


def _chain(base: dict, *notices: dict) -> list[dict]:
    """Each notice changes only what it names; everything else carries over from the version before."""
    rows, current = [base], base
    for notice in notices:
        current = {**current, **notice}
        rows.append(current)
    return rows


def versions() -> list[dict]:
    national = (NOTICE_2021, CLASSIFICATION_2023, NOTICE_2023, NOTICE_2024)
    return [
        SICHUAN_2012,
        JILIN_2007,
        *_chain(NATIONAL_HOME_2020, *national),
        *_chain(NATIONAL_CAMPUS_2020, *national),
        *_chain(COMMERCIAL, CLASSIFICATION_2023),
    ]


def forwards(apps, schema_editor):
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for row in versions():
        PolicyVersion.objects.create(**row)


def backwards(apps, schema_editor):
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    for row in versions():
        PolicyVersion.objects.filter(product=row["product"], region_code=row["region_code"],
                                     effective_from=row["effective_from"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0002_version_rule_fields"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
