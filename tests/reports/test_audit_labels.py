"""Every action the code base writes to the audit log has a Chinese name on the auditor's page."""

import ast
import re
from pathlib import Path

import xuedai
from xuedai.origination.services.transitions import TABLES
from xuedai.origination.workflow import APPLICATION_TRANSITIONS, BATCH_TRANSITIONS
from xuedai.reports.audit_display import action_label

SRC = Path(xuedai.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
WRITERS = {"audit_record", "audit_bulk", "_audit", "_fail"}


def literal_codes() -> set[str]:
    """Action codes passed as string literals to the audit writers (keyword or second argument)."""
    codes = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in WRITERS:
                continue
            values = [k.value for k in node.keywords if k.arg == "action"] + node.args[1:2]
            codes |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return codes


def test_the_scan_finds_the_codes():
    codes = literal_codes()
    assert {"login_success", "loans.repayment_post", "document_export"} <= codes


def test_every_literal_action_code_has_a_chinese_name():
    unnamed = sorted(code for code in literal_codes() if not CJK.search(action_label(code)))
    assert unnamed == []


def test_every_workflow_action_has_a_chinese_name():
    codes = {f"contract.{a}" for table in TABLES.values() for a in table}
    codes |= {f"batch.{a}" for a in BATCH_TRANSITIONS} | {f"application.{a}" for a in APPLICATION_TRANSITIONS}
    assert sorted(code for code in codes if not CJK.search(action_label(code))) == []
    assert action_label("contract.check_approve") == "合同：复核通过(打印签订)"
    assert action_label("no.such_code") == "no.such_code"
