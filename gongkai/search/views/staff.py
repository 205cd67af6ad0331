"""Staff page for the synonyms search applies (同义词组): the platform's and the agency's own."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.roles import Role
from gongkai.core.statemachine import TransitionRefused
from gongkai.core.views import staff_required
from gongkai.search import synonyms
from gongkai.search.models import SynonymGroup

PLATFORM = "platform"


class SynonymGroupForm(forms.Form):
    terms = forms.CharField(
        label="同义词",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="用顿号“、”或空格分开，如：低保、最低生活保障、最低生活保障金。检索其中任一个词，含其他词的信息也能找到。",
        error_messages={"required": "请填写同义词。", "max_length": "内容过长：一组不超过500个字。"},
    )
    one_way = forms.BooleanField(
        label="单向扩展（第一个词是较宽泛的词，只由它扩展到其余各词）",
        required=False,
        help_text="如：社会救助、低保、临时救助——检索“社会救助”也能找到低保信息，检索“低保”不会找到所有社会救助信息。",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    scope = forms.ChoiceField(label="适用范围", required=False)

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scopes
        if len(scopes) < 2:
            del self.fields["scope"]


def _scopes(user) -> list[tuple[str, str]]:
    scopes = []
    if synonyms.may_keep(user, user.agency):
        scopes.append((str(user.agency_id), f"本机关（{user.agency.short_name}）"))
    if synonyms.may_keep(user, None):
        scopes.append((PLATFORM, "全平台通用"))
    return scopes


def _allowed(user) -> None:
    if not user.has_role(Role.OFFICE, Role.ADMIN):
        raise PermissionDenied("检索同义词由政务公开办公室或系统管理员维护。")


@staff_required
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    _allowed(request.user)
    scopes = _scopes(request.user)
    form = SynonymGroupForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = data.get("scope") or (scopes[0][0] if scopes else "")
        agency = None if scope == PLATFORM else request.user.agency
        try:
            synonyms.synonym_group_save(
                actor=request.user,
                terms=data["terms"],
                agency=agency,
                one_way=data["one_way"],
                note=data["note"],
            )
        except TransitionRefused as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "已保存同义词组，下一次检索起生效。")
            return redirect("search_staff:synonyms")
    groups = SynonymGroup.objects.filter(agency__isnull=True) | SynonymGroup.objects.filter(
        agency=request.user.agency
    )
    rows = [
        {"group": group, "editable": synonyms.may_keep(request.user, group.agency)}
        for group in groups.select_related("agency").order_by("agency_id", "pk")
    ]
    return render(
        request, "search/staff/synonyms.html", {"rows": rows, "form": form, "can_add": bool(scopes)}
    )


def _own_group(request, pk: int) -> SynonymGroup:
    """A platform group or one of the user's agency (another agency's: 404, never shown)."""
    group = get_object_or_404(SynonymGroup.objects.select_related("agency"), pk=pk)
    if group.agency_id not in (None, request.user.agency_id):
        raise Http404("未找到该同义词组。")
    return group


@staff_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk: int):
    _allowed(request.user)
    group = _own_group(request, pk)
    if not synonyms.may_keep(request.user, group.agency):
        raise PermissionDenied("平台通用的同义词只能由系统管理员维护。")
    initial = {"terms": group.terms, "one_way": group.one_way, "note": group.note}
    form = SynonymGroupForm(request.POST or None, initial=initial, scopes=[])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            synonyms.synonym_group_save(
                actor=request.user,
                group=group,
                terms=data["terms"],
                one_way=data["one_way"],
                note=data["note"],
            )
        except TransitionRefused as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "已修改同义词组，下一次检索起生效。")
            return redirect("search_staff:synonyms")
    return render(request, "search/staff/synonym_edit.html", {"group": group, "form": form})


@staff_required
@require_POST
def synonym_delete(request, pk: int):
    _allowed(request.user)
    group = _own_group(request, pk)
    try:
        synonyms.synonym_group_delete(actor=request.user, group=group)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除同义词组：{group.terms}")
    return redirect("search_staff:synonyms")
