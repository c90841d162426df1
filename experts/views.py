"""HTTP for the talent pool: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.enums import Role
from core import dataversion
from core.confirm import ConfirmRow, confirmation_page, confirmation_required
from core.exports import Column, XlsxExportMixin
from core.http import client_ip
from core.phones import FULL_PHONE_ROLES, phone_shown
from core.search import filter_terms, relevance, search_terms
from core.sorting import sort_queryset
from core.uploads import private_storage, serve_upload
from core.workflow import TransitionError
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.selectors import credit_alerts
from credit.services import credit_override
from privacy.models import ConsentKind
from privacy.services import consent_record
from privacy.services import has_current_consent as consent_given

from . import selectors, services
from .apps import POOL_SCOPE
from .enums import CORE_FIELDS, EDITABLE_STATES, EligibilityResult, NominationState
from .exceptions import ImportFileError, NominationError
from .filters import NominationFilter, PoolFilter
from .forms import (
    AchievementFormSet,
    ChangeDecisionForm,
    ImportForm,
    InstitutionForm,
    NominationForm,
    ProfileForm,
    ReasonForm,
    achievements_from,
    add_achievement_row,
    without_errors,
)
from .imports import import_apply, import_parse, import_template
from .models import Institution

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZES = (20, 50, 100)


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged-in users holding one of `roles`; anybody else gets a 404 (SPEC §2)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class NominatorMixin(RoleRequiredMixin):
    roles = (Role.NOMINATOR,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.institution = selectors.institution_of(request.user)
            if self.institution is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def _query_string(request) -> str:
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    return params.urlencode()


# Nominations ----------------------------------------------------------------------------------------


class NominationListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    """The institution's nominations, or the staff queue (staff see every institution's)."""

    export_title = gettext_lazy("专家推荐")
    export_filename = "nominations"
    export_columns = [
        Column(gettext_lazy("姓名"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "institution.name"),
        Column(gettext_lazy("学科"), "expert.discipline.name"),
        Column(gettext_lazy("职称"), "expert.title"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("资格审查结果"), "eligibility"),
        Column(gettext_lazy("提交时间"), "submitted_at"),
        Column(gettext_lazy("入库决定时间"), "decided_at"),
    ]

    roles = (Role.NOMINATOR, Role.COMMISSION)
    template_name = "experts/nomination_list.html"
    context_object_name = "nominations"
    paginate_by = 20

    def get_queryset(self):
        qs = selectors.nomination_list(self.request.user)
        params = self.request.GET.copy()
        if self.request.user.has_role(Role.COMMISSION) and "state" not in params:
            params["state"] = NominationState.SUBMITTED
        if "o" not in params:
            params["o"] = "-submitted" if self.request.user.has_role(Role.COMMISSION) else "-updated"
        self.sort = params["o"]
        self.filterset = NominationFilter(params, queryset=qs, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["sort"] = self.sort
        ctx["query_string"] = _query_string(self.request)
        ctx["is_staff_queue"] = self.request.user.has_role(Role.COMMISSION)
        return ctx


class NominationFormMixin:
    template_name = "experts/nomination_form.html"

    def render_form(self, form, formset, nomination=None):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "nomination": nomination,
                "institution": getattr(self, "institution", None),
            },
        )


class NominationCreateView(NominatorMixin, NominationFormMixin, View):
    def get(self, request):
        return self.render_form(NominationForm(), AchievementFormSet(prefix="ach"))

    def post(self, request):
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form, formset = NominationForm(data), AchievementFormSet(data, prefix="ach")
            without_errors(form, formset)
            return self.render_form(form, formset)
        form = NominationForm(request.POST, request.FILES)
        formset = AchievementFormSet(request.POST, prefix="ach")
        if form.is_valid() and not form.cleaned_data["personal_data_consent"]:
            form.add_error("personal_data_consent", _("请确认已向专家告知并取得其同意后再录入其个人信息。"))
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return self.render_form(form, formset)
        try:
            nomination = services.nomination_create(
                institution=self.institution,
                by=request.user,
                data=form.service_data(),
                id_number=form.cleaned_data["id_number"],
                achievements=achievements_from(formset),
                files=form.service_files(),
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, formset)
        if not consent_given(nomination.expert, ConsentKind.NOMINATION):
            consent_record(
                expert=nomination.expert, kind=ConsentKind.NOMINATION, by=request.user,
                ip_address=client_ip(request),
            )
        messages.success(request, _("推荐草稿已保存。"))
        return redirect("experts:nomination-detail", nomination.pk)


class NominationUpdateView(NominatorMixin, NominationFormMixin, View):
    def get_nomination(self, pk):
        nomination = selectors.nomination_get(self.request.user, pk)
        if nomination.state not in EDITABLE_STATES:
            messages.error(
                self.request,
                _("推荐当前为“%(state)s”，不能修改。") % {"state": nomination.get_state_display()},
            )
            return nomination, redirect("experts:nomination-detail", nomination.pk)
        return nomination, None

    def get(self, request, pk):
        nomination, blocked = self.get_nomination(pk)
        if blocked:
            return blocked
        form = NominationForm(instance=nomination.expert, nomination=nomination)
        return self.render_form(
            form, AchievementFormSet(instance=nomination.expert, prefix="ach"), nomination
        )

    def post(self, request, pk):
        nomination, blocked = self.get_nomination(pk)
        if blocked:
            return blocked
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form = NominationForm(data, instance=nomination.expert, nomination=nomination)
            formset = AchievementFormSet(data, instance=nomination.expert, prefix="ach")
            without_errors(form, formset)
            return self.render_form(form, formset, nomination)
        form = NominationForm(request.POST, request.FILES, instance=nomination.expert, nomination=nomination)
        formset = AchievementFormSet(request.POST, instance=nomination.expert, prefix="ach")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return self.render_form(form, formset, nomination)
        try:
            services.nomination_update(
                nomination=nomination,
                by=request.user,
                data=form.service_data(),
                id_number=form.cleaned_data.get("id_number") or None,
                achievements=achievements_from(formset),
                files=form.service_files(),
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return self.render_form(form, formset, nomination)
        messages.success(request, _("推荐已保存。"))
        return redirect("experts:nomination-detail", nomination.pk)


class NominationDetailView(RoleRequiredMixin, TemplateView):
    roles = (Role.NOMINATOR, Role.COMMISSION)
    template_name = "experts/nomination_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        nomination = selectors.nomination_detail_get(self.request.user, kwargs["pk"])
        user = self.request.user
        can_edit = user.has_perm("experts.change_nomination", nomination)
        ctx.update(
            nomination=nomination,
            expert=nomination.expert,
            can_edit=can_edit,
            # the nominator while the draft is theirs to edit (its form shows it anyway); core.phones
            full_phones=can_edit,
            can_decide=user.has_perm("experts.decide_nomination", nomination),
            decision_form=kwargs.get("decision_form") or ReasonForm(),
            # 信用提示 for staff deciding (the expert's and the institution's records), never the nominator
            credit_alerts=credit_alerts(
                experts=[nomination.expert_id], institutions=[nomination.institution_id]
            ) if user.has_perm("experts.decide_nomination", nomination) else None,
            reasons=[(code, text) for code, text in nomination.eligibility_reasons.items()],
            return_reason=next(
                (
                    t.reason
                    for t in reversed(nomination.transitions.all())
                    if t.to_state == NominationState.RETURNED
                ),
                "",
            ),
        )
        return ctx


class NominationSubmitView(NominatorMixin, View):
    def post(self, request, pk):
        nomination = selectors.nomination_get(request.user, pk)
        try:
            nomination = services.nomination_submit(nomination=nomination, by=request.user)
        except (NominationError, TransitionError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("推荐已提交，资格审查结果见下方。"))
        return redirect("experts:nomination-detail", pk)


class NominationDecideView(RoleRequiredMixin, View):
    """Staff: admit, return, reject, approve or refuse the exception — each with a reason."""

    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        nomination = selectors.nomination_get(request.user, pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择操作。"))
            return redirect("experts:nomination-detail", pk)
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        if action == "admit" and nomination.admissible and confirmation_required(request):
            expert = nomination.expert
            detail = reverse("experts:nomination-detail", args=[pk])
            return confirmation_page(
                request,
                title=_("确认准予入库"),
                question=_("准予入库后，专家进入专家人才库并获得登录账号，此操作不能撤销。确认准予以下专家入库？"),
                rows=[
                    ConfirmRow(_("专家"), expert.name),
                    ConfirmRow(_("推荐单位"), str(nomination.institution)),
                    ConfirmRow(_("资格审查"), nomination.get_eligibility_display() or "—"),
                    *(
                        [ConfirmRow(_("放宽审批"), nomination.get_exception_decision_display())]
                        if nomination.eligibility == EligibilityResult.EXCEPTION
                        else []
                    ),
                    ConfirmRow(_("电子邮箱"), expert.email or _("未填写（不能发送账号激活邮件）")),
                    *([ConfirmRow(_("理由/意见"), reason)] if reason else []),
                ],
                button=_("确认准予入库"),
                cancel_url=detail,
                breadcrumbs=[(_("专家推荐"), reverse("experts:nomination-list")), (expert.name, detail)],
            )
        try:
            if action == "admit":
                with transaction.atomic():
                    credit_override(
                        decision=DecisionPoint.POOL_ADMISSION, target=nomination, by=request.user,
                        reason=request.POST.get("credit_reason", ""),
                        experts=[nomination.expert_id], institutions=[nomination.institution_id],
                    )
                    services.nomination_admit(nomination=nomination, by=request.user, reason=reason)
                if nomination.expert.email:
                    done = _("已准予入库，并已向专家发送账号激活邮件。")
                else:
                    done = _(
                        "已准予入库。专家未填写电子邮箱，未能发送账号激活邮件，请补充邮箱后在管理后台重新发送。"
                    )
            elif action == "return":
                services.nomination_return(nomination=nomination, by=request.user, reason=reason)
                done = _("已退回推荐单位修改。")
            elif action == "reject":
                services.nomination_reject(nomination=nomination, by=request.user, reason=reason)
                done = _("已决定不予入库。")
            else:
                approve = action == "approve_exception"
                services.nomination_exception_decide(
                    nomination=nomination, by=request.user, approve=approve, note=reason
                )
                done = _("已批准放宽条件。") if approve else _("已决定不予放宽。")
        except (NominationError, TransitionError, CreditError) as exc:
            messages.error(request, str(exc))
            view = NominationDetailView()
            view.setup(request, pk=pk)
            return render(request, view.template_name, view.get_context_data(pk=pk, decision_form=form))
        messages.success(request, done)
        return redirect("experts:nomination-detail", pk)


class NominationFileView(RoleRequiredMixin, View):
    roles = (Role.NOMINATOR, Role.COMMISSION)

    def get(self, request, pk):
        nomination = selectors.nomination_get(request.user, pk)
        return serve_upload(
            nomination.recommendation_letter, download_name=f"{nomination.expert.name}-推荐函"
        )


# Import ----------------------------------------------------------------------------------------------

IMPORT_SESSION_KEY = "experts_import_file"


class NominationImportTemplateView(NominatorMixin, View):
    def get(self, request):
        response = HttpResponse(import_template(), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("专家推荐导入模板.xlsx")
        return response


class NominationImportView(NominatorMixin, View):
    """Upload → validate every row → import all when the file is clean; otherwise show the report and
    offer to import only the valid rows (the file is kept, privately, for that second step). The upload
    form needs the PIPL consent box, so a token for the second step exists only after consent."""

    template_name = "experts/nomination_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm(), "institution": self.institution})

    def post(self, request):
        if request.POST.get("confirm"):
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "institution": self.institution})
        upload = form.cleaned_data["file"]
        try:
            report = import_parse(upload, self.institution)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form, "institution": self.institution})
        token = ""
        if report.invalid:
            if report.valid:
                upload.seek(0)
                token = uuid.uuid4().hex
                private_storage().save(f"imports/{token}.xlsx", ContentFile(upload.read()))
                request.session[IMPORT_SESSION_KEY] = token
        elif not self.apply(report):
            return redirect("experts:nomination-import")
        return render(
            request,
            self.template_name,
            {
                "form": ImportForm(),
                "report": report,
                "token": token,
                "institution": self.institution,
            },
        )

    def apply(self, report) -> bool:
        try:
            import_apply(
                report,
                institution=self.institution,
                by=self.request.user,
                ip_address=client_ip(self.request),
            )
        except IntegrityError:
            # Another import or form saved one of these people in the meantime.
            messages.error(self.request, _("导入期间有专家信息被同时修改，未导入任何数据，请重新上传。"))
            return False
        return True

    def confirm(self, request):
        token = request.POST.get("token", "")
        if not token or request.session.get(IMPORT_SESSION_KEY) != token:
            messages.error(request, _("导入文件已失效，请重新上传。"))
            return redirect("experts:nomination-import")
        storage = private_storage()
        name = f"imports/{token}.xlsx"
        if not storage.exists(name):
            messages.error(request, _("导入文件已失效，请重新上传。"))
            return redirect("experts:nomination-import")
        try:
            with storage.open(name, "rb") as handle:
                report = import_parse(handle, self.institution)
            if not self.apply(report):
                return redirect("experts:nomination-import")
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("experts:nomination-import")
        finally:
            request.session.pop(IMPORT_SESSION_KEY, None)
            transaction.on_commit(lambda: storage.delete(name))
        return render(
            request,
            self.template_name,
            {
                "form": ImportForm(),
                "report": report,
                "institution": self.institution,
            },
        )


# Talent pool -----------------------------------------------------------------------------------------


def _phone_column(full: bool):
    return lambda e: phone_shown(e.phone, full)


# Roles that see an expert's full phone number in the talent pool export (they contact the experts);
# everyone else gets it masked like on the pages (SPEC §7, core.phones).
POOL_PHONE_ROLES = FULL_PHONE_ROLES


class ExpertListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    """The talent pool: search (trigram index), filters, keyset pagination (page 1,000 costs what page 1
    does), export of the filtered rows (core.exports: audited, formula cells escaped, phones masked for
    roles outside POOL_PHONE_ROLES). Every sort is served by a composite index of experts.Expert."""

    roles = (Role.COMMISSION, Role.NOMINATOR)
    export_title = gettext_lazy("专家人才库")
    export_filename = "expert-pool"

    @property
    def export_columns(self):
        full = self.request.user.has_role(*POOL_PHONE_ROLES)
        return [
            Column(gettext_lazy("姓名"), "name"),
            Column(gettext_lazy("性别"), "gender"),
            Column(gettext_lazy("推荐单位"), "institution.name"),
            Column(gettext_lazy("所在院系/部门"), "department"),
            Column(gettext_lazy("学科"), "discipline.name"),
            Column(gettext_lazy("研究领域"), "research_fields"),
            Column(gettext_lazy("关键词"), "keywords"),
            Column(gettext_lazy("最高学位"), "degree"),
            Column(gettext_lazy("专业技术职称"), "title"),
            Column(gettext_lazy("职称级别"), "title_level"),
            Column(gettext_lazy("首次参加工作日期"), "work_start"),
            Column(gettext_lazy("核心知识产权/成熟成果"), "core_ip"),
            Column(gettext_lazy("入库时间"), "admitted_at"),
            Column(gettext_lazy("手机号码"), _phone_column(full)),
            Column(gettext_lazy("电子邮箱"), "email"),
        ]
    template_name = "experts/expert_list.html"
    context_object_name = "experts"
    #: `o` of PoolFilter → the keyset sort (key, tie-breaker)
    ORDERINGS = {
        "name": ("name", "id"),
        "-name": ("-name", "-id"),
        "admitted": ("admitted_at", "id"),
        "-admitted": ("-admitted_at", "-id"),
        "institution": ("institution__name", "id"),
        "-institution": ("-institution__name", "-id"),
    }

    #: The columns the table shows (templates/experts/expert_list.html) and the sorts need: with a query,
    #: PostgreSQL sorts every match by relevance, and carrying the profile's other text columns (résumé,
    #: core IP, search text, encrypted ID) through that sort made it take twice as long.
    PAGE_FIELDS = ("name", "institution", "discipline", "research_fields", "title", "title_level",
                   "id_number_masked", "admitted_at")

    def page_size(self) -> int:
        try:
            size = int(self.request.GET.get("page_size", PAGE_SIZES[0]))
        except ValueError:
            size = PAGE_SIZES[0]
        return size if size in PAGE_SIZES else PAGE_SIZES[0]

    def filtered(self):
        qs = selectors.pool_list(self.request.user, q=self.request.GET.get("q", ""))
        self.filterset = PoolFilter(self.request.GET, queryset=qs, request=self.request)
        return self.filterset.qs

    def get_queryset(self):
        return self.filtered()

    def export_queryset(self):
        return self.filtered().select_related("institution", "discipline")

    #: The result (count, table, pages) and its filter form, cached per data version of the experts app
    #: (ExpertsConfig.ready), the rows the user may see and the query string (issue 20): ten minutes
    #: unread at most, as every query string is an entry of its own.
    body_template = "experts/partials/_pool_body.html"
    BODY_SECONDS = 600

    def get(self, request, *args, **kwargs):
        def body() -> str:
            self.object_list = self.get_queryset()
            # without the context processors (menu, bell …): the page around it runs them once
            return render_to_string(self.body_template, {**self.get_context_data(), "request": request})

        if settings.CACHE_POOL:
            html = dataversion.cached(POOL_SCOPE, self.body_key(), body, timeout=self.BODY_SECONDS)
        else:
            html = body()
        # Our own template's output (autoescaped when rendered), kept as the string it rendered to.
        return self.render_to_response({"body": mark_safe(html)})  # nosec B308 B703

    def get_template_names(self):
        return [self.template_name]  # the page around the body, which a cached body never made a queryset for

    def body_key(self) -> str:
        """Who sees which rows (staff: all; anyone else: by user, whose institutions decide), the language
        and the query string, hashed (a query may be 10,000 characters)."""
        user = self.request.user
        rows = "all" if user.has_role(Role.COMMISSION) else f"u{user.pk}"
        query = sorted((k, v) for k, values in self.request.GET.lists() for v in values)
        digest = hashlib.sha256(urlencode(query).encode("utf-8", "surrogatepass")).hexdigest()
        return f"list:{rows}:{get_language()}:{digest}"

    def get_context_data(self, **kwargs):
        from core.filters import fast_fields
        from core.pagination import keyset_page

        ctx = super().get_context_data(**kwargs)
        sort = self.request.GET.get("o", "")
        if sort in self.ORDERINGS:
            ordering = self.ORDERINGS[sort]
        elif search_terms(self.request.GET.get("q", "")):  # a search: the most relevant first
            sort, ordering = "", ("-relevance", "id")
        else:
            sort, ordering = "name", ("name", "id")
        page = keyset_page(self.object_list.only(*self.PAGE_FIELDS), ordering=ordering,
                           params=self.request.GET, per_page=self.page_size(),
                           count_in_page=ordering[0] == "-relevance")
        ctx.update(
            experts=page.object_list,
            page_obj=page,
            filter=self.filterset,
            filter_fields=fast_fields(self.filterset.form),
            sort=sort,
            query_string=_query_string(self.request),
            q=self.request.GET.get("q", ""),
            page_sizes=PAGE_SIZES,
        )
        return ctx


class ExpertDetailView(LoginRequiredMixin, TemplateView):
    template_name = "experts/expert_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        expert = selectors.expert_detail_get(self.request.user, kwargs["pk"])
        is_self = expert.user_id == self.request.user.pk
        ctx.update(
            expert=expert,
            is_self=is_self,
            full_phones=is_self,  # the expert's own number; staff reveal it (ExpertPhoneView), core.phones
            pending=[c for c in expert.change_requests.all() if c.state == "pending"],
        )
        return ctx


class ExpertIdNumberView(RoleRequiredMixin, View):
    """Staff only: show the full ID number once (POST, audited); everywhere else it is masked."""

    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        view = ExpertDetailView()
        view.setup(request, pk=pk)
        ctx = view.get_context_data(pk=pk)
        ctx["full_id_number"] = services.expert_id_number(ctx["expert"], by=request.user)
        response = render(request, view.template_name, ctx)
        response["Cache-Control"] = "private, no-store"
        return response


class ExpertPhoneView(RoleRequiredMixin, View):
    """Staff only: show the expert's full phone number once (POST, audited), as for the ID number; the
    page shows it masked otherwise (core.phones)."""

    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        view = ExpertDetailView()
        view.setup(request, pk=pk)
        ctx = view.get_context_data(pk=pk)
        services.expert_phone(ctx["expert"], by=request.user)
        ctx.update(full_phones=True, phone_revealed=True)
        response = render(request, view.template_name, ctx)
        response["Cache-Control"] = "private, no-store"
        return response


class ExpertMeView(RoleRequiredMixin, View):
    roles = (Role.EXPERT,)

    def get(self, request):
        expert = selectors.expert_for_user(request.user)
        if expert is None:
            raise Http404
        return redirect("experts:expert-detail", expert.pk)


class ExpertFileView(LoginRequiredMixin, View):
    def get(self, request, pk, field):
        if field not in {"resume", "core_ip_evidence"}:
            raise Http404
        expert = selectors.expert_get(request.user, pk)
        label = _("个人简历") if field == "resume" else _("证明材料")
        return serve_upload(getattr(expert, field), download_name=f"{expert.name}-{label}")


class ExpertProfileEditView(RoleRequiredMixin, View):
    """The expert keeps their profile; core fields go to staff for approval."""

    roles = (Role.EXPERT,)
    template_name = "experts/expert_profile_form.html"

    def get_expert(self):
        expert = selectors.expert_for_user(self.request.user)
        if expert is None:
            raise Http404
        return expert

    def get(self, request):
        expert = self.get_expert()
        return render(
            request,
            self.template_name,
            {
                "form": ProfileForm(instance=expert),
                "formset": AchievementFormSet(instance=expert, prefix="ach"),
                "expert": expert,
                "core_fields": CORE_FIELDS,
            },
        )

    def post(self, request):
        expert = self.get_expert()
        if request.POST.get("add_row"):
            data = add_achievement_row(request.POST)
            form = ProfileForm(data, instance=selectors.expert_for_user(request.user))
            formset = AchievementFormSet(data, instance=expert, prefix="ach")
            without_errors(form, formset)
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        form = ProfileForm(request.POST, instance=selectors.expert_for_user(request.user))
        formset = AchievementFormSet(request.POST, instance=expert, prefix="ach")
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("请按提示修改标红的内容；已填写的内容已保留。"))
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            change = services.expert_profile_update(
                expert=expert, by=request.user, data=data, achievements=achievements_from(formset)
            )
        except NominationError as exc:
            form.add_error(None, str(exc))
            return render(
                request,
                self.template_name,
                {"form": form, "formset": formset, "expert": expert, "core_fields": CORE_FIELDS},
            )
        if change:
            messages.info(
                request, _("联系方式等已更新；姓名、单位、学科、学位、职称等核心信息的变更已提交区科委审核。")
            )
        else:
            messages.success(request, _("个人信息已更新。"))
        return redirect("experts:expert-detail", expert.pk)


class ChangeRequestListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    export_title = gettext_lazy("专家信息变更申请")
    export_filename = "change-requests"
    export_columns = [
        Column(gettext_lazy("专家"), "expert.name"),
        Column(gettext_lazy("推荐单位"), "expert.institution.name"),
        Column(gettext_lazy("状态"), "state"),
        Column(gettext_lazy("申请人"), "requested_by"),
        Column(gettext_lazy("申请时间"), "created_at"),
        Column(gettext_lazy("审核时间"), "decided_at"),
    ]
    template_name = "experts/changerequest_list.html"
    context_object_name = "requests"
    paginate_by = 20

    def get_queryset(self):
        qs = selectors.change_request_list(self.request.user)
        self.show_all = self.request.GET.get("all") == "1"
        return qs if self.show_all else qs.filter(state="pending")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["show_all"] = self.show_all
        ctx["form"] = ChangeDecisionForm()
        return ctx


class ChangeRequestDecideView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION,)

    def post(self, request, pk):
        from django.shortcuts import get_object_or_404

        change = get_object_or_404(selectors.change_request_list(request.user), pk=pk)
        form = ChangeDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择审核结果。"))
        else:
            try:
                services.change_request_decide(
                    request=change,
                    by=request.user,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("已处理变更申请。"))
            except NominationError as exc:
                messages.error(request, str(exc))
        return redirect("experts:changerequest-list")


# Institutions ----------------------------------------------------------------------------------------


class InstitutionListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    export_title = gettext_lazy("推荐单位")
    export_filename = "institutions"
    export_columns = [
        Column(gettext_lazy("单位名称"), "name"),
        Column(gettext_lazy("单位类型"), "category"),
        Column(gettext_lazy("985高校"), "is_985"),
        Column(gettext_lazy("211高校"), "is_211"),
        Column(gettext_lazy("“双一流”建设高校"), "is_double_first_class"),
        Column(gettext_lazy("知名三甲医院"), "is_hospital_3a"),
        Column(gettext_lazy("驻昌单位"), "in_changping"),
        Column(gettext_lazy("联系人"), "contact_name"),
        Column(gettext_lazy("联系电话"), "contact_phone"),
        Column(gettext_lazy("启用"), "active"),
    ]
    template_name = "experts/institution_list.html"
    context_object_name = "institutions"
    paginate_by = 30

    def get_queryset(self):
        qs = Institution.objects.all()
        terms = search_terms(self.request.GET.get("q", ""))
        if terms:
            fields = {"name": 10, "short_name": 5, "contact_name": 2}
            qs = filter_terms(qs, fields, terms).annotate(
                relevance=relevance(fields, terms, exact="name")
            ).order_by("-relevance", *Institution._meta.ordering)
        # a search keeps its relevance order unless a column is chosen
        sorts = {"name": "name", "category": "category"}
        qs, self.sort = sort_queryset(self.request.GET, qs, sorts, "" if terms else "name")
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sort"] = self.sort
        ctx["q"] = self.request.GET.get("q", "")
        ctx["query_string"] = _query_string(self.request)
        return ctx


class InstitutionEditView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION,)
    template_name = "experts/institution_form.html"

    def get_object(self, pk):
        if pk is None:
            return None
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Institution, pk=pk)

    def get(self, request, pk=None):
        institution = self.get_object(pk)
        return render(
            request,
            self.template_name,
            {"form": InstitutionForm(instance=institution), "institution": institution},
        )

    def post(self, request, pk=None):
        institution = self.get_object(pk)
        form = InstitutionForm(request.POST, instance=institution)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "institution": institution})
        with transaction.atomic():
            saved = form.save()
            from core.audit import audit

            audit(
                request.user,
                "institution.update" if institution else "institution.create",
                saved,
                summary=saved.name,
            )
        messages.success(request, _("推荐单位已保存。"))
        return HttpResponseRedirect(reverse("experts:institution-list"))


# Invitation -------------------------------------------------------------------------------------------


class InviteConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time link of the invitation email: set a password, then log in."""

    template_name = "experts/invite_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False
    title = gettext_lazy("设置登录密码")

    def form_valid(self, form):
        response = super().form_valid(form)
        from accounts.services import user_password_changed

        user_password_changed(user=form.user)
        messages.success(self.request, _("密码已设置，请使用用户名 %(u)s 登录。") % {"u": form.user.username})
        return response
