"""One view per workflow action (issue 22 item 2).

A page's buttons (submit, approve, return, pay …) each post to their own URL and view: a small
`ActionView` subclass with its own permission rule, its own form and its own message. The page shows the
action's form; when the input is invalid, the view renders the page again with the bound form, so the
errors stand at their fields (Bootstrap `is-invalid` / `invalid-feedback` through crispy, and the page's
`{% error_summary %}` above) and nothing typed is lost. A refusal of the service (the domain's own error:
a state that does not allow it, a rule) is a message on the page, as before.

For instance `BatchReturnView` (subsidies/views/batches.py): its `action_permission`, a `ReasonForm`
(`form_class`, `form_name`, and `form_options` with the label and the message of a missing reason) and an
`act()` that calls `services.batch_return` and returns the success message.

Every form on such a page is made with `action_form(...)` so that two actions' `reason` fields get ids of
their own (`return_form-reason`) while the posted names stay `reason`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View


def action_form(form_class, name: str, data=None, files=None, **kwargs):
    """`form_class` as the action `name` shows it on its page: ids `<name>-<field>`, names unchanged."""
    return form_class(data, files, auto_id=f"{name}-%s", **kwargs)


def blank_forms(*views) -> dict:
    """The unbound forms of these action views for their page, by their context names."""
    return {v.form_name: action_form(v.form_class, v.form_name, **v.form_options) for v in views}


def error_text(exc: Exception | str) -> str:
    """A refusal's message (a ValidationError's first message, else the exception's text)."""
    return str(exc.messages[0] if isinstance(exc, ValidationError) else exc)


class ReasonForm(forms.Form):
    """The reason (理由/意见) an action asks for. `required`: the message shown at the field when the
    action needs a reason and none was given (the service checks it too); `label`: the field's label."""

    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, required: str = "", label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if label:
            field.label = label
        if required:
            field.required = True
            field.error_messages["required"] = required


class ActionView(View):
    """POST one action on one object. A subclass gives:

    - `get_object()`: the object from what the user may see (another user's is a 404);
    - `check_permission(obj)`: the action's own permission (raise Http404, or PermissionDenied where
      the app answers 403);
    - `refusal(obj)` (optional): why the user may not take the action now, checked before the input
      (nobody is asked for a reason to an action refused to them); a message on the page, as the
      service's own refusal;
    - `form_class` / `form_name` (optional): the action's form and its name in the page's context;
      `form_options` (or `form_kwargs()`) for its extra arguments;
    - `act(obj, form)`: call the one service; return the success message, or a response (a confirmation
      page) to answer with instead;
    - `page(obj, **forms)`: the object's page again with these bound forms — by default the TemplateView
      `page_view` whose `get_context_data(pk=…, **forms)` takes them;
    - `success_url(obj)`: where to go after the action (and after a refusal); by default the object's
      page, the URL named `detail_url_name` with its pk;
    - `success_message` (optional): the message when `act` returns none of its own.

    `refusals` are the domain errors shown as a message (`refused()`; override it to show the page again).
    `refused_on_form`: a refusal of an action with a form shows the page again instead, the refusal a
    non-field error of the bound form. `named_ids = False`: the form keeps Django's `id_<field>` ids (a
    page whose forms are not made with `action_form`).
    """

    form_class: type[forms.BaseForm] | None = None
    form_name = "form"
    form_options: dict = {}
    named_ids = True
    page_view: type[View] | None = None
    detail_url_name = ""
    refusals: tuple[type[Exception], ...] = ()
    refused_on_form = False
    success_message = ""

    def get_object(self):
        raise NotImplementedError

    def check_permission(self, obj) -> None:
        """The action's permission; none beyond the view's mixins by default."""

    def refusal(self, obj) -> str:
        return ""

    def act(self, obj, form):
        raise NotImplementedError

    def page(self, obj, **forms):
        view = self.page_view()
        view.setup(self.request, pk=obj.pk)
        return view.render_to_response(view.get_context_data(pk=obj.pk, **forms))

    def success_url(self, obj) -> str:
        return reverse(self.detail_url_name, args=[obj.pk])

    def form_kwargs(self) -> dict:
        return dict(self.form_options)

    def get_form(self):
        if self.form_class is None:
            return None
        request = self.request
        if not self.named_ids:
            return self.form_class(request.POST, request.FILES, **self.form_kwargs())
        return action_form(self.form_class, self.form_name, request.POST, request.FILES, **self.form_kwargs())

    def invalid(self, obj, form):
        """The page again, the form bound: its errors at their fields, the input kept."""
        return self.page(obj, **{self.form_name: form})

    def refused(self, obj, form, exc):
        if form is not None and self.refused_on_form:
            form.add_error(None, error_text(exc))
            return self.invalid(obj, form)
        messages.error(self.request, error_text(exc))
        return redirect(self.success_url(obj))

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        self.check_permission(obj)
        form = self.get_form()
        refusal = self.refusal(obj)
        if refusal:
            return self.refused(obj, form, refusal)
        if form is not None and not form.is_valid():
            return self.invalid(obj, form)
        try:
            result = self.act(obj, form)
        except self.refusals as exc:
            return self.refused(obj, form, exc)
        if isinstance(result, HttpResponseBase):
            return result
        message = result or self.success_message
        if message:
            messages.success(request, str(message))
        return redirect(self.success_url(obj))


class RedirectActionView(ActionView):
    """An action posted from a page that this view does not render: invalid input is `invalid_message` on
    that page (`success_url`), like a refusal, instead of the page again with the bound form."""

    invalid_message = ""

    def invalid(self, obj, form):
        messages.error(self.request, str(self.invalid_message))
        return redirect(self.success_url(obj))
