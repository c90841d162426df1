"""The matching engine inside the portal: stored tokens, the cached index and serving experts."""

import pytest
from django.core.cache import cache

from enterprises import matching
from enterprises.enums import IntentState
from enterprises.models import ExpertProfileIndex
from tests.factories.enterprises import DemandFactory, IntentFactory, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "storage": make_expert(
            "林书恒",
            discipline="电气工程",
            research_fields="储能系统集成；电池管理系统",
            keywords="储能，锂离子电池，热管理",
        ),
        "chem": make_expert(
            "吴俊", discipline="化学", research_fields="有机合成方法学", keywords="药物中间体"
        ),
        "vision": make_expert(
            "郑凯", discipline="机械工程", research_fields="机器视觉检测", keywords="机器视觉，缺陷检测，储能"
        ),
        "outside": make_expert(
            "未入库", discipline="电气工程", research_fields="电池管理系统", keywords="储能", in_pool=False
        ),
    }


def test_expert_tokens_are_stored_per_field(corpus):
    entry = ExpertProfileIndex.objects.get(expert=corpus["storage"])
    assert entry.tokens == {
        "research_fields": ["储能系统", "储能", "集成", "电池管理系统"],
        "keywords": ["储能", "锂离子电池", "热管理"],
        "discipline": ["电气工程"],
    }


def test_ranking_for_a_demand_puts_the_matching_expert_first_with_explanation(corpus):
    demand = DemandFactory()
    ranked = matching.expert_recommendations(demand)
    assert [r.id for r in ranked] == [corpus["storage"].pk, corpus["vision"].pk]
    assert ranked[0].fit is True  # 电气工程 fits 先进能源
    assert "电池管理系统" in ranked[0].terms and "锂离子电池" in ranked[0].terms
    assert corpus["outside"].pk not in [r.id for r in ranked]  # not admitted


def test_serving_experts_are_excluded(corpus):
    demand = DemandFactory()
    IntentFactory(expert=corpus["storage"], state=IntentState.ACCEPTED, in_service=True)
    assert matching.serving_expert_ids() == {corpus["storage"].pk}
    assert [r.id for r in matching.expert_recommendations(demand)] == [corpus["vision"].pk]


def test_an_accepted_intent_not_in_service_does_not_make_an_expert_serving(corpus):
    IntentFactory(expert=corpus["storage"], state=IntentState.ACCEPTED, in_service=False)
    assert matching.serving_expert_ids() == set()


def test_registered_provider_adds_serving_experts(corpus):
    def provider():
        return [corpus["vision"].pk]

    matching.register_serving_provider(provider)
    try:
        assert matching.serving_expert_ids() == {corpus["vision"].pk}
    finally:
        matching._serving_providers.remove(provider)


def test_index_is_built_once_and_reused(corpus):
    first = matching.get_index(matching.EXPERTS)
    assert matching.get_index(matching.EXPERTS) is first
    # another process: no local copy, loads the shared blob instead of rebuilding from the database
    matching._local.clear()
    shared = matching.get_index(matching.EXPERTS)
    assert shared is not first and list(shared.ids) == list(first.ids)


def test_a_rebuild_publishes_a_new_version_that_other_processes_pick_up(corpus):
    old = matching.get_index(matching.EXPERTS)
    version = cache.get(matching._version_key(matching.EXPERTS))
    make_expert("新专家", research_fields="电池管理系统")
    assert len(matching.get_index(matching.EXPERTS)) == len(old)  # unchanged until the task runs
    matching.index_rebuild(matching.EXPERTS)
    assert cache.get(matching._version_key(matching.EXPERTS)) != version
    assert len(matching.get_index(matching.EXPERTS)) == len(old) + 1


def test_saving_an_expert_refreshes_tokens_and_index_after_commit(django_capture_on_commit_callbacks):
    matching.get_index(matching.EXPERTS)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        expert = make_expert("周雅琴", discipline="临床医学", research_fields="抗体药物临床研究", index=False)
        expert.keywords = "抗体偶联药物，临床试验"
        expert.save()
        expert.achievements.create(kind="paper", title="抗体偶联药物临床进展")
        assert not ExpertProfileIndex.objects.filter(expert=expert).exists()  # nothing before commit
    # the expert, its change and its achievement: one batched refresh (beside the data-version bump of
    # core.dataversion, which every committed write to a cached scope schedules)
    from core.dataversion import _AfterCommit

    assert len([c for c in callbacks if not isinstance(c, _AfterCommit)]) == 1
    tokens = ExpertProfileIndex.objects.get(expert=expert).tokens
    assert tokens["keywords"] == ["抗体偶联药物", "临床试验"]
    assert tokens["achievements"] == ["抗体偶联药物", "临床"]
    assert expert.pk in list(matching.get_index(matching.EXPERTS).ids)


def test_ranking_demands_for_an_expert_skips_past_deadline_and_unpublished(corpus):
    from datetime import timedelta

    from django.utils import timezone

    from enterprises.enums import DemandState

    open_demand = DemandFactory(title="储能系统热管理")
    DemandFactory(title="储能电池管理系统（过期）", deadline=timezone.localdate() - timedelta(days=1))
    DemandFactory(title="储能草稿", state=DemandState.DRAFT, published_at=None)
    DemandFactory(
        title="有机合成工艺", keywords="药物中间体", description="原料药合成", technical_field="化学"
    )
    ranked = matching.demand_recommendations(corpus["storage"])
    assert [r.id for r in ranked] == [open_demand.pk]
    assert ranked[0].fit is True and ranked[0].leading is True  # 先进能源 is a leading industry


def test_publishing_several_demands_in_one_transaction_rebuilds_once(django_capture_on_commit_callbacks):
    from enterprises import services
    from enterprises.enums import DemandState
    from tests.factories.enterprises import EnterpriseFactory

    enterprise = EnterpriseFactory()
    first, second = (
        DemandFactory(enterprise=enterprise, state=DemandState.DRAFT, published_at=None) for _ in range(2)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.demand_publish(demand=first, by=enterprise.admin_user)
        services.demand_publish(demand=second, by=enterprise.admin_user)
    assert len(callbacks) == 1
    assert sorted(matching.get_index(matching.DEMANDS).ids.tolist()) == sorted([first.pk, second.pk])
