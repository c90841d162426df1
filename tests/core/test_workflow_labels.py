"""History tables show a transition's states by their labels, not their codes — one filter for every
workflow (nominations, enterprises, demands, intents, projects, rounds, awards)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from awards.models import AwardCycleTransition
from enterprises.models import DemandTransition, EnterpriseTransition, IntentTransition
from experts.models import NominationTransition
from projects.models import ProjectTransition, ReviewRoundTransition


@pytest.mark.parametrize(
    "model, from_state, to_state, expected",
    [
        (ProjectTransition, "draft", "submitted", "草稿 → 已提交"),
        (ProjectTransition, "", "draft", "— → 草稿"),
        (ReviewRoundTransition, "draft", "open", "筹备中 → 评审中"),
        (ProjectTransition, "draft", "no_such_state", "草稿 → no_such_state"),
        (NominationTransition, "draft", "submitted", "草稿 → 已提交"),
        (EnterpriseTransition, "registered", "verified", "待认证 → 已认证"),
        (DemandTransition, "draft", "published", "草稿 → 已发布"),
        (IntentTransition, "", "accepted", "— → 已接受"),
    ],
)
def test_state_name_shows_the_labels(model, from_state, to_state, expected):
    t = model(from_state=from_state, to_state=to_state)
    with translation.override("zh-hans"):
        out = Template('{% load workflow %}{{ t|state_name:"from" }} → {{ t|state_name }}').render(
            Context({"t": t})
        )
    assert out == expected


def test_state_name_in_english():
    t = ProjectTransition(from_state="draft", to_state="submitted")
    with translation.override("en"):
        out = Template('{% load workflow %}{{ t|state_name }}').render(Context({"t": t}))
    assert out == "Submitted"


def test_award_cycle_history_uses_labels_too():
    t = AwardCycleTransition(from_state="", to_state="draft")
    with translation.override("zh-hans"):
        assert Template("{% load workflow %}{{ t|state_name }}").render(Context({"t": t})) != "draft"
