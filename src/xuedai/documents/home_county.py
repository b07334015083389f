"""生源地信用助学贷款 forms for one contract [001 二.1–2, 附件四] — what the county prints at signing.

Each function takes a Contract and returns PDF bytes; the caller chooses the response
(pdf.pdf_response with `download_filename(kind, contract)`, which names the document, not the person).
"""

from collections.abc import Sequence

from .context import contract_context
from .pdf import render_pdf, render_pdf_many

# The batch tables live in summaries; named here too so callers find every 生源地 document in one
# module (origination looks them up as home_county.county_summary_xlsx).
from .summaries import (  # noqa: F401
    county_summary_pdf,
    county_summary_xlsx,
    province_summary_pdf,
    province_summary_xlsx,
)

APPLICATION_FORM_TITLE = "国家开发银行生源地信用助学贷款申请表"
CONTRACT_TITLE = "生源地信用助学贷款借款合同"
ACCEPTANCE_TITLE = "国家开发银行生源地信用助学贷款受理证明"
DEFAULT_NOTICE_TITLE = "生源地助学贷款违约责任告知书"

# "借款合同一式4份，学生、共同借款人、县资助中心和开发银行分行各持一份" [001 二.2]
CONTRACT_COPIES = ("第一联 借款人留存", "第二联 共同借款人留存", "第三联 县资助中心留存",
                   "第四联 国家开发银行留存")


def _part(template: str, title: str, contract, **extra) -> tuple[str, dict]:
    return f"documents/home_county/{template}", {**contract_context(contract), "title": title, **extra}


def application_form_pdf(contract) -> bytes:
    """The printed application form (must be printed, not handwritten [001 二.1]); one A4 page.
    Also takes the student's online Application, before a contract exists (number and rate blank)."""
    return render_pdf(*_part("application_form.html", APPLICATION_FORM_TITLE, contract))


def contract_pdf(contract, copies: Sequence[str] = CONTRACT_COPIES) -> bytes:
    """The loan contract, one section per copy (each starts a new page and carries its 联 label).
    Pass `copies=CONTRACT_COPIES[2:3]` to reprint only the county's copy."""
    return render_pdf(*_part("contract.html", CONTRACT_TITLE, contract, copies=list(copies)))


def acceptance_certificate_pdf(contract) -> bytes:
    """贷款受理证明: stamped by the county, carried by the student to the university with the
    contract; its lower half is the receipt the university enters [001 二.2–3]."""
    return render_pdf(*_part("acceptance.html", ACCEPTANCE_TITLE, contract))


def default_notice_pdf(contract) -> bytes:
    """违约责任告知书 [001 附件四], signed with the contract and archived by the county [001 四]."""
    return render_pdf(*_part("default_notice.html", DEFAULT_NOTICE_TITLE, contract))


def signing_pack_pdf(contract) -> bytes:
    """Everything printed at the signing in one file, in the order it is handed over: contract ×4,
    受理证明, 违约责任告知书. One print job, so no document is forgotten at the counter."""
    return render_pdf_many([
        _part("contract.html", CONTRACT_TITLE, contract, copies=list(CONTRACT_COPIES)),
        _part("acceptance.html", ACCEPTANCE_TITLE, contract),
        _part("default_notice.html", DEFAULT_NOTICE_TITLE, contract),
    ])


_FILE_NAMES = {
    "application_form": "生源地贷款申请表",
    "contract": "借款合同",
    "acceptance": "贷款受理证明",
    "default_notice": "违约责任告知书",
    "signing_pack": "签约材料",
    "archive_checklist": "档案清单",
}


def download_filename(kind: str, contract, ext: str = "pdf") -> str:
    """"借款合同-2024-SC0001.pdf": the document and the contract number, never the student's name or
    ID number (file names leak into download folders, mail and proxy logs)."""
    return f"{_FILE_NAMES[kind]}-{contract.academic_year}-{contract.contract_no}.{ext}"
