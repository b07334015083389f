"""Chinese names for audit actions, for the audit page (DOMAIN.md §10 names the terms).

Actions on contracts, applications and county batches are named ``contract.<action>`` and so on
after the rows of origination's transition tables, whose Chinese labels the page shows (reports
resolves them); every other action code is named here. tests/audit checks that every code the
code base writes has a name.
"""

ACTION_LABELS = {
    # logins and accounts
    "login_success": "登录成功",
    "login_password_ok": "密码验证通过（待动态口令）",
    "login_failed": "登录失败",
    "login_refused_locked": "锁定期内尝试登录",
    "account_locked": "账号锁定",
    "totp_failed": "动态口令错误",
    "totp_enrol": "绑定动态口令",
    "logout": "退出登录",
    "password_change": "修改密码",
    "account_setup": "通过设置链接设置账号",
    "setup_link_create": "签发设置链接",
    "student_activate": "学生激活账号",
    "student_activate_failed": "学生激活失败",
    "student_password_reset": "重置学生登录密码",
    "user_unlock": "解除锁定",
    "user_create": "创建用户",
    "organisation_create": "创建机构",
    "demo_data_build": "生成演示数据",
    "postloan_assign": "分配贷后责任人",
    "admin.create": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
    # students and their people
    "student_register": "学生在线注册",
    "application_submit": "学生提交贷款申请",
    "application_update": "学生修改贷款申请",
    "borrower_create": "新增借款学生",
    "borrower_update": "修改借款学生信息",
    "borrower_reveal_id_number": "查看完整身份证号",
    "co_borrower_add": "登记共同借款人",
    "co_borrower_update": "修改共同借款人",
    "emergency_contact_add": "登记紧急联系人",
    "emergency_contact_update": "修改紧急联系人",
    # origination around the workflow
    "county_season_set": "设置受理与回执日期",
    "campus.quota_request": "高校申请贷款额度",
    "campus.quota_grant": "下达高校贷款额度",
    "archive.items_tick": "登记档案材料",
    "archive.boxes_assign": "档案装盒编号",
    # files taken away
    "document_export": "导出或打印文件",
    "origination_county_summary_export": "导出借款申请汇总表",
    "origination_province_summary_export": "导出省汇总表(以县为单位)",
    "origination_campus_review_info_export": "导出学生审核信息表",
    "origination_campus_roster_export_pdf": "导出审查合格名册(PDF)",
    "origination_campus_roster_export_xlsx": "导出审查合格名册(Excel)",
    "postloan_register_export_full": "导出学生台账(完整身份证号)",
    # policy and the calendar
    "business_date_set": "设置业务日期",
    "policy_version.create": "新增政策版本",
    "lpr_rate.create": "录入贷款市场报价利率(LPR)",
    # the ledger
    "reports.quarter_snapshot_take": "生成季末分类快照",
    "reports.credit_file_request": "申请生成征信报送文件",
    "reports.credit_file_make": "生成征信报送文件",
    "reports.default_list_prepare": "编制违约名单",
    "reports.default_list_approve": "审批通过违约名单",
    "reports.default_list_return": "退回违约名单",
    "reports.grade_designate": "人工认定五级分类",
    "reports.grade_designation_withdraw": "撤销人工分类认定",
    "reports.quality_report_submit": "提交资产质量分类认定表",
    "reports.quality_report_approve": "审定资产质量分类认定表",
    "reports.quality_report_return": "退回资产质量分类认定表",
    "reports.special_report_submit": "提交专户报告",
    "reports.province_summary_submit": "报送省级资产质量分类汇总表",
    "reports.province_summary_approve": "审核通过省级汇总表(报分行)",
    "reports.province_summary_return": "退回省级汇总表",
    "reports.special_report_approve": "批阅专户报告",
    "reports.special_report_return": "退回专户报告",
    "loans.contract_disburse": "发放贷款(记账)",
    "loans.batch_disburse": "批次发放贷款",
    "loans.account_take_on": "期初建账",
    "loans.settlement_post": "结息",
    "loans.repayment_post": "还款入账",
    "loans.transit_payment_post": "在途款按付款日入账",
    "loans.tranches_plan": "安排分次发放",
    "loans.tranches_pay_out": "分次发放",
    "loans.tranches_cancel": "停发未发放部分",
    "loans.early_repayment_apply": "提前还款申请",
    "loans.early_repayment_execute": "执行提前还款",
    "loans.posting_reverse": "冲正分录",
    "loans.subsidy_received": "贴息到账入账",
    "funds.accrual_request": "提出风险补偿金申请",
    "funds.accrual_confirm": "确认风险补偿金到账",
    "funds.settlement_run": "风险补偿金年度结算",
    "funds.subsidy_payment_record": "录入财政贴息到账",
    "loans.relief_apply": "适用免息延期政策",
    "loans.relief_batch": "批量适用免息延期政策",
    "loans.relief_programme_create": "录入免息延期政策",
    "loans.terms_change_record": "记录贷款条件变更",
    "loans.rate_changes_post": "登记存量合同利率调整",
    "loans.misuse_flag": "标记挪用贷款(罚息按挪用倍数)",
    "loans.borrower_repayment_post": "借款人还款（多笔合同分配）",
    "loans.deduction_import": "导入扣款回盘文件",
    "loans.deduction_post": "回盘入账",
    "loans.deduction_file_download": "下载扣款文件",
    # Batch runs: one entry per run, written when the run is done (jobs.runner.Job.finish).
    "loans.settlement_batch": "批量结息",
    "loans.penalty_batch": "批量计提罚息复利",
    "loans.classification_batch": "五级分类批处理",
    "loans.deduction_prepare_batch": "生成批量扣款明细",
    "loans.deduction_files_batch": "生成扣款明细表文件（大批量）",
    "loans.day_batch": "日终批处理",
    # post-loan
    "postloan.status_change_record": "登记学籍变动",
    "postloan.status_change_decide": "审核学籍变动",
    "postloan.plan_change_apply": "申请还款计划变更",
    "postloan.plan_change_decide": "审核还款计划变更",
    "postloan.certificate_request": "申请非恶意逾期证明",
    "postloan.certificate_decide": "审核非恶意逾期证明",
    "postloan_reassign": "调整贷后联系责任人",
    "postloan_unassign": "取消贷后联系责任人",
    "contact_record": "登记贷后联系",
    "lost_contact_flag": "标记失联",
    "lost_contact_resolve": "处理失联",
    "graduation_apply": "学生提交毕业确认",
    "graduation_confirm": "确认毕业确认",
    "graduation_edit": "修改毕业确认信息",
    "graduation_return": "退回毕业确认",
    "repayment_letter_record": "登记还款确认书",
}

# The record kinds of the workflow actions (contract.check_approve → 合同：复核通过).
WORKFLOW_PREFIXES = {"contract": "合同", "application": "在线申请", "batch": "批次"}

# Keys of before/after that are not model fields.
VALUE_LABELS = {
    "comment": "意见", "count": "数量", "ids": "编号", "document": "文件", "rows": "行数",
    "reason": "原因", "说明": "说明", "because": "原因", "on": "日期", "as_of": "日期",
    "revealed": "查看内容", "term_years": "贷款期限(年)", "year": "学年",
    "academic_year": "学年", "amount": "金额", "kind": "类型", "source": "依据", "items": "材料",
    "boxes": "盒数", "value": "值", "scope": "范围", "accounts": "账户数", "payments": "笔数",
    "instalments": "期数", "starts_on": "起始日期", "ends_on": "结束日期", "roles": "角色",
    "username": "用户名", "name": "名称", "to_university": "付高校", "to_student": "付学生",
    "status": "状态", "loss": "损失类标记", "state": "状态",
    # The state's money (funds): accrual, settlement and subsidy-transfer entries.
    "total": "合计金额", "memo": "说明", "defaulted": "违约贷款本息", "cover": "补偿金补偿",
    "reward": "奖励性返还",
    # The counts of a batch run's entry (jobs.runner.Job.finish; posted.<kind>, grade.<grade>:
    # reports.audit_display names them).
    "business_date": "业务日期", "job_run": "后台任务", "postings": "分录笔数",
    "kernel_accounts": "批量计算账户数", "scalar_accounts": "逐户处理账户数", "records": "分类记录数",
    "mode": "方式", "regraded_loss": "死亡改为损失", "files": "文件数", "lines": "明细笔数",
    "penalty_accrued_accounts": "计提罚息账户数", "penalty_accrued": "计提罚息复利",
    "programme": "政策", "applied": "适用账户数", "settled": "结息账户数", "deduction_lines": "扣款笔数",
    "paid": "实扣金额", "classified": "分类账户数", "disbursed": "发放合同数",
    "reminder_campaigns": "提醒批次",
}


def action_label(code: str) -> str:
    """The name of a code this module knows (workflow actions: reports.audit_display)."""
    return ACTION_LABELS.get(code, code)
