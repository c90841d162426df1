"""Reading a page for the errors shown at a field (issue 22: an action's invalid input is shown at its
field, not as one message joined with "；")."""

from __future__ import annotations

import re


def error_at_field(page: str, field_id: str) -> str:
    """The text of the `invalid-feedback` under the field with id `field_id` (the field marked
    `is-invalid`); fails when there is none."""
    feedback = re.search(
        rf'<div id="{re.escape(field_id)}_error" class="invalid-feedback">(.*?)</div>', page, re.S
    )
    assert feedback, f"no invalid-feedback under #{field_id}"
    field = re.search(rf'<[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert field and "is-invalid" in field.group(0), f"#{field_id} is not marked is-invalid"
    return re.sub(r"<[^>]+>", "", feedback.group(1)).strip()
