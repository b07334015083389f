"""首次登录/激活账号: the page where a student proves who they are and chooses a password."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from xuedai.orgs.auth_views import start_session
from xuedai.orgs.authn import client_ip
from xuedai.orgs.forms import ActivationForm, forget
from xuedai.orgs.middleware import SESSION_FLAG
from xuedai.orgs.services import AccountError

from .activation import student_activate


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def activate(request):
    """首次登录/激活账号: the ID number travels only in the POST body, never in a URL."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = student_activate(id_number=data["id_number"], fact=data["fact"],
                                    password=data["new_password1"], ip_address=client_ip(request))
        except AccountError as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as weak:
            form.add_error("new_password1", weak)
        else:
            start_session(request, user)
            request.session[SESSION_FLAG] = True
            messages.success(request, "账号已激活。以后请用身份证号和新密码登录。")
            return redirect("home")
    if form.is_bound:
        forget(form, "id_number", "fact")
    return render(request, "borrowers/activate.html", {"form": form})
