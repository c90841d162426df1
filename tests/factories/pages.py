"""Reading what a page shows after a refused form: the error at a field (crispy-forms' Bootstrap 5 markup:
the input marked `is-invalid`, its message in the `invalid-feedback` block under it) and the messages
(django.contrib.messages) the request left."""

from __future__ import annotations

import html
import re

from django.contrib.messages import get_messages


def field_errors(page: str, name: str) -> list[str]:
    """The messages shown at the field `name` (its `invalid-feedback` block), [] when none."""
    field_id = f"id_{name}"
    block = re.search(rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>', page, re.S)
    if block is None:
        return []
    widgets = re.findall(rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}(?:_\d+)?"[^>]*>', page)
    assert widgets and all("is-invalid" in w for w in widgets), f"{name}: a message, but no is-invalid field"
    return [html.unescape(m) for m in re.findall(r"<strong>(.*?)</strong>", block.group(1), re.S)]


def page_messages(response) -> list[str]:
    """The messages (django.contrib.messages) the request left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]
