"""The site's error pages, in Chinese and in the site's layout (every page in Chinese).

Django's own handlers answer "Not Found" / "Forbidden" in English when no template exists. These
render ``web/error.html`` with the status, a Chinese title and what to do next; a reason raised with
the error (``Http404("没有这份合同")``) is shown when it is Chinese — Django's internal messages
("No Contract matches the given query.") are not, and never reach the page.
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

PAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页重新填写。"),
    403: ("没有权限", "您的角色或数据范围不能访问该页面。如需办理，请联系本机构负责人或系统管理员。"),
    404: ("页面不存在", "没有找到您要的页面或记录：它可能不在您的数据范围内，或者链接已失效。"),
    500: ("系统出错", "系统处理时出错，已记录。请稍后重试；如果问题持续，请联系系统管理员。"),
}


def _reason(exception) -> str:
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or message.isascii():
        return ""
    return message


def error_page(request, status: int, exception=None):
    title, advice = PAGES[status]
    return render(request, "web/error.html", {"status": status, "title": title, "advice": advice,
                                              "reason": _reason(exception)}, status=status)


def bad_request(request, exception):
    return error_page(request, 400, exception)


def permission_denied(request, exception):
    return error_page(request, 403, exception)


def page_not_found(request, exception):
    return error_page(request, 404, exception)


def server_error(request):
    """Rendered without the request's context (no navigation, no business date): whatever failed
    — the database, a context processor — must not fail the error page too."""
    title, advice = PAGES[500]
    html = loader.get_template("web/error.html").render({"status": 500, "title": title, "advice": advice})
    return HttpResponseServerError(html)
