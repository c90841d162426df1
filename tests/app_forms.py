"""The form classes of the portal's apps, for the tests that hold every form to a rule (mass assignment,
upload limits, field lengths): a new form is checked without being listed anywhere."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable, Iterator

from django import forms


def form_classes(app_names: Iterable[str]) -> Iterator[type[forms.BaseForm]]:
    """Every form class defined in the `forms` module of each named app (apps without one are passed
    over); forms imported there from elsewhere are not repeated."""
    for app in app_names:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls
