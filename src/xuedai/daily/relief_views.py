"""免息延期政策: record a notice, preview the population it reaches, apply it in the background
(DOMAIN.md §1 relief programmes: graduated borrowers; the year's interest and old penalties waived;
that year's principal may be deferred one year)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from xuedai import businessdate
from xuedai.core.classification import Grade
from xuedai.jobs.models import JobRun
from xuedai.loans.batches import RELIEF, relief_population
from xuedai.loans.models import ReliefProgramme
from xuedai.loans.services.relief import relief_programme_create
from xuedai.orgs.forms import BootstrapMixin
from xuedai.orgs.models import Organisation, OrgKind, Role
from xuedai.orgs.permissions import roles_required
from xuedai.orgs.scope import sees_everything
from xuedai.widgets import DatePicker

from . import tasks

SAMPLE = 20


class ProgrammeForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=120)
    year = forms.IntegerField(label="适用年度", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据(文号)", max_length=200, required=False)
    waive_interest = forms.BooleanField(label="免除当年利息", required=False, initial=True)
    waive_penalty = forms.BooleanField(label="免除罚息复利", required=False, initial=True)
    allow_deferral = forms.BooleanField(label="允许本金延期一年", required=False, initial=True)


class PopulationForm(BootstrapMixin, forms.Form):
    graduation_year = forms.IntegerField(label="毕业年份", required=False, min_value=2000, max_value=2100,
                                         help_text="空：所有已毕业的借款学生")
    county = forms.ModelChoiceField(label="签约县(区)", required=False, queryset=Organisation.objects.none(),
                                    empty_label="全部")
    grades = forms.MultipleChoiceField(label="五级分类", required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=[(g.value, g.label_zh) for g in Grade])
    defer_principal = forms.BooleanField(label="当年本金延期一年", required=False)
    on = forms.DateField(label="适用日期", widget=DatePicker())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Organisation.objects.filter(kind=OrgKind.COUNTY_CENTRE).order_by("name")
        if not sees_everything(user) and user.organisation is not None:
            counties = counties.filter(path__startswith=user.organisation.path)
        self.fields["county"].queryset = counties


def _population(form: PopulationForm):
    data = form.cleaned_data
    return relief_population(graduation_year=data["graduation_year"],
                             county_id=getattr(data["county"], "pk", None), grades=data["grades"] or None,
                             on=data["on"])


@roles_required(Role.ADMIN)
def relief_list(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = relief_programme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已录入「{programme.name}」。")
            return redirect("daily:relief", programme.pk)
    return render(request, "daily/relief_list.html", {"form": form,
                                                      "programmes": ReliefProgramme.objects.all()})


@roles_required(Role.ADMIN)
def relief_detail(request, pk: int):
    programme = get_object_or_404(ReliefProgramme, pk=pk)
    data = request.POST or request.GET or None
    form = PopulationForm(data, user=request.user, initial={"on": businessdate.today()})
    preview = None
    if data is not None and form.is_valid():
        population = _population(form)
        if request.method == "POST":
            if form.cleaned_data["defer_principal"] and not programme.allow_deferral:
                messages.error(request, "该政策不允许本金延期。")
            else:
                d = form.cleaned_data
                tasks.apply_relief.enqueue(programme.pk, d["on"].isoformat(), request.user.pk,
                                           d["graduation_year"], getattr(d["county"], "pk", None),
                                           list(d["grades"]), d["defer_principal"])
                messages.success(request, f"已开始对{population.count():,}户适用「{programme.name}」，"
                                          "进度见下方。")
                return redirect("daily:relief", programme.pk)
        sample = population.select_related("contract__borrower", "contract__county").order_by("pk")
        rows = list(sample[:SAMPLE])
        for account in rows:
            account.grade_label = Grade(account.grade).label_zh if account.grade else "未分类"
        preview = {"count": population.count(), "rows": rows}
    runs = JobRun.objects.filter(kind=RELIEF, scope_key__startswith=f"relief:{programme.pk}:").order_by("-id")
    return render(request, "daily/relief_detail.html", {"programme": programme, "form": form,
                                                        "preview": preview, "runs": runs[:10]})
