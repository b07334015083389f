"""Chinese names for audit actions and object types, for the audit page. Unknown codes show as is."""

from django.apps import apps

ACTION_LABELS = {
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
    "user_unlock": "解除锁定",
    "user_create": "创建用户",
    "organisation_create": "创建机构",
    # Batch runs: one entry per run, written when the run is done (jobs.runner.Job.finish).
    "loans.settlement_batch": "批量结息",
    "loans.penalty_batch": "批量计提罚息复利",
    "loans.classification_batch": "五级分类批处理",
    "loans.relief_batch": "批量适用减免政策",
    "loans.deduction_prepare_batch": "生成批量扣款明细",
    "loans.deduction_files_batch": "生成扣款明细表文件（大批量）",
    "loans.day_batch": "日终批处理",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def object_type_label(label_lower: str) -> str:
    """'borrowers.borrower' → '借款学生' (the model's verbose name), else the code itself."""
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower
