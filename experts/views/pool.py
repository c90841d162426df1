"""The talent pool (专家人才库): search, filters, keyset pages, export."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.views.generic import ListView

from accounts.enums import Role
from core import dataversion
from core.exports import Column, XlsxExportMixin
from core.phones import FULL_PHONE_ROLES, phone_shown
from core.search import search_terms

from .. import selectors
from ..apps import POOL_SCOPE
from ..filters import PoolFilter
from ._common import PAGE_SIZES, RoleRequiredMixin, _query_string


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
