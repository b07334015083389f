"""The demo accounts: one per role, all with the one documented demo password.

A real installation has no default passwords (staff start from a set-up link, students activate
their own account); the demo trades that for a site that can be tried in a minute. Staff still
need TOTP: `xuedai totp <用户名>` prints the current code for a demo account.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TextIO

from xuedai.identity.idnumbers import make_id_number

DEMO_PASSWORD = "Xuedai-demo-2026"

# The demo student: a second-year 四川大学 student from 三台县 with a renewal in review this year.
# Sequence 517 lies in the range the generator keeps for parents (500–999), and no parent is born
# in 2006, so this number can never collide with a generated one.
DEMO_STUDENT_BIRTH_DATE = dt.date(2006, 3, 15)
DEMO_STUDENT_ID_NUMBER = make_id_number("510722", DEMO_STUDENT_BIRTH_DATE, 517)
DEMO_STUDENT_NAME = "李明轩"


@dataclass(frozen=True)
class DemoStaff:
    username: str
    real_name: str
    org_key: str          # see demo.orgs.build_orgs for the keys
    roles: tuple[str, ...]
    label: str            # the role as people in the business call it
    note: str


DEMO_STAFF: list[DemoStaff] = [
    DemoStaff("county_op", "王建华", "county:510722", ("operator",), "县资助中心经办人",
              "三台县学生资助管理中心：新增合同、回执、汇总提交"),
    DemoStaff("county_sup", "陈秀英", "county:510722", ("supervisor",), "县资助中心负责人",
              "三台县：复核合同与批次"),
    DemoStaff("county_op2", "杨志强", "county:511321", ("operator",), "县资助中心经办人(另一县)",
              "南部县：看不到三台县的数据"),
    DemoStaff("province_op", "刘婷", "centre", ("operator",), "省资助中心经办人",
              "四川省学生资助管理中心：审核各县批次"),
    DemoStaff("province_sup", "赵永明", "centre", ("supervisor",), "省资助中心负责人",
              "四川省：复核并报送银行"),
    DemoStaff("uni_officer", "周静", "univ:10610", ("university_officer",), "高校经办人",
              "四川大学：电子回执、毕业确认"),
    DemoStaff("uni_sup", "吴国强", "univ:10610", ("supervisor",), "高校负责人", "四川大学：复核"),
    DemoStaff("dept_staff", "郑丽", "dept:10610:0", ("department_staff",), "院系责任人",
              "四川大学经济学院：本院毕业生贷后联系"),
    DemoStaff("bank_reviewer", "黄海", "branch", ("bank_reviewer",), "银行审查人",
              "国家开发银行四川省分行：审查批次"),
    DemoStaff("bank_approver", "孙立新", "branch", ("bank_approver",), "银行审批人", "四川省分行：审批"),
    DemoStaff("auditor", "林雪", "branch", ("auditor",), "审计员", "全省只读"),
    # 财政部门 sits at the level it funds (orgs.models.Role.FINANCE): the province centre for 省财政厅.
    DemoStaff("finance", "何志远", "centre", ("finance",), "财政部门(省财政厅)",
              "只读：贴息资金汇总表、风险补偿金申请书/确认书、贴息到账与结算"),
    DemoStaff("admin", "马骏", "head", ("admin",), "系统管理员", "用户与机构管理(亦可进入 /django-admin/)"),
]

# (角色, 用户名, 说明): what the README and `xuedai demo` print.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    *((s.label, s.username, s.note) for s in DEMO_STAFF),
    ("借款学生", DEMO_STUDENT_ID_NUMBER,
     f"{DEMO_STUDENT_NAME}，三台县生源地贷款，四川大学在读；学生用身份证号登录，无需动态口令"),
]


def print_demo_logins(stream: TextIO) -> None:
    """Print the demo accounts, the shared password and how to get a TOTP code."""
    width = max(len(username) for _, username, _ in DEMO_LOGINS)
    stream.write(f"\n演示账号 / demo logins（密码 password: {DEMO_PASSWORD}）\n")
    for label, username, note in DEMO_LOGINS:
        stream.write(f"  {username:<{width}}  {label}　{note}\n")
    stream.write("工作人员登录需要动态口令：运行 `xuedai totp <用户名>` 取得当前 6 位口令，\n"
                 "例如 `.venv/bin/xuedai totp county_op`（数据库不是由 `xuedai demo` 启动的，\n"
                 "先设置 XUEDAI_DEMO=1）。\n"
                 "Staff need a TOTP code: `xuedai totp <username>` prints the current one\n"
                 "(set XUEDAI_DEMO=1 for a database that `xuedai demo` does not serve).\n")
