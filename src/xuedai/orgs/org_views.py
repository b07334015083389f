"""Organisation pages: the tree within scope, each organisation's staff, and account administration.

Administrators create staff accounts in their subtree and hand out one-time set-up links; the link
is shown once on the response page (never stored in a message cookie or in the database).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xuedai.identity.masking import mask_phone

from . import selectors, services
from .forms import StaffUserForm
from .lockout import is_locked
from .permissions import can_manage_user, is_admin, org_in_subtree, staff_required


@staff_required
def org_list(request):
    orgs = selectors.organisation_tree(request.user)
    for o in orgs:
        o.indent_rem = 0.5 + 1.5 * o.indent
    return render(request, "orgs/org_list.html", {"orgs": orgs})


@staff_required
def org_detail(request, pk: int):
    org = selectors.organisation_get(request.user, pk)
    in_subtree = org_in_subtree(request.user, org)
    can_admin = in_subtree and is_admin(request.user)
    return render(request, "orgs/org_detail.html", {
        "org": org,
        "in_subtree": in_subtree,
        "children": selectors.organisations_visible(request.user).filter(parent=org).order_by("name"),
        "users": _with_display(selectors.users_of(request.user, org)) if in_subtree else [],
        "hours": services.SETUP_LINK_HOURS,
        "can_admin": can_admin,
        "form": StaffUserForm() if can_admin else None,
    })


def _with_display(users):
    # Mobiles are shown masked in lists (docs/security.md), the lock computed against the wall clock.
    rows = list(users)
    for u in rows:
        u.masked_mobile = mask_phone(u.mobile)
        u.is_locked = is_locked(u)
    return rows


@never_cache
@staff_required
def user_create(request, pk: int):
    org = selectors.organisation_get(request.user, pk)
    if not (is_admin(request.user) and org_in_subtree(request.user, org)):
        raise PermissionDenied("只有本机构及下级机构的系统管理员可以创建用户。")
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.staff_user_create(actor=request.user, organisation=org, username=data["username"],
                                              roles=data["roles"], real_name=data["real_name"],
                                              mobile=data["mobile"])
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            link = services.setup_link_create(actor=request.user, user=user)
            return _show_link(request, user, link, created=True)
    return render(request, "orgs/user_form.html", {"org": org, "form": form})


@never_cache
@require_POST
@staff_required
def setup_link_issue(request, pk: int):
    user = selectors.user_get(request.user, pk)
    if not can_manage_user(request.user, user):
        raise PermissionDenied("无权为该用户签发设置链接。")
    return _show_link(request, user, services.setup_link_create(actor=request.user, user=user), created=False)


@require_POST
@staff_required
def user_unlock(request, pk: int):
    user = selectors.user_get(request.user, pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, f"已解除 {user.username} 的登录锁定。")
    return redirect("orgs:detail", pk=user.organisation_id)


def _show_link(request, user, link: str, *, created: bool):
    response = render(request, "orgs/setup_link.html", {
        "person": user, "link": request.build_absolute_uri(link), "created": created,
        "hours": services.SETUP_LINK_HOURS,
    })
    response["Referrer-Policy"] = "same-origin"  # the link holds a live token
    return response
