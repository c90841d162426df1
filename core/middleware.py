"""Input refused before any view sees it.

A NUL character (U+0000) cannot be stored in a PostgreSQL text column nor compared with one: a query
parameter or form value carrying it (`/experts/pool/?q=%00`) made the database raise `DataError`, a 500.
No legitimate input of the portal contains one, so every request whose path, query string or form data
(names or values) holds one is answered once, here, with a 400 page that says what was wrong.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

NUL = "\x00"


def has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            if NUL in key or any(NUL in v for v in values):
                return True
    if request.method == "POST":
        return any(NUL in (f.name or "") for f in request.FILES.values())
    return False


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if has_nul(request):
            message = _("提交的内容含有不可见的控制字符（NUL），无法处理。请删除后重新输入。")
            try:
                body = render_to_string("core/bad_request.html", {"message": message}, request=request)
            except Exception:  # the page must not fail because a context processor did
                body = message
            return HttpResponse(body, status=400)
        return self.get_response(request)
