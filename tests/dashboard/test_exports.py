"""The one export mechanism of the staff lists (core.exports.XlsxExportMixin): the export holds exactly
the rows of the filtered list, is audited, escapes formulas; a big export runs in a real Celery worker,
and only the user who asked for it can see its progress and download it."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from core.exports import Column, xlsx_bytes
from core.models import AuditEvent
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory

# (list URL name, export URL name, URL args, filter, context key of the list's rows on the page)
LISTS = [
    ("enterprises:enterprise-list", "enterprises:enterprise-export", [], {"state": "verified"}, None),
    ("enterprises:enterprise-list", "enterprises:enterprise-export", [], {"q": "测试生物"}, None),
    ("enterprises:demand-list", "enterprises:demand-export", [], {"state": "published"}, None),
    ("enterprises:intent-list", "enterprises:intent-export", [], {"state": "accepted"}, None),
    ("enterprises:event-list", "enterprises:event-export", [], {}, None),
    ("projects:project-list", "projects:project-export", [], {"state": "accepted"}, None),
    ("projects:project-list", "projects:project-export", [], {"year": "{year}"}, None),
    ("projects:round-list", "projects:round-export", [], {}, "rounds"),
    ("terms:appointment-list", "terms:appointment-export", [], {"state": "active"}, None),
    ("terms:appointment-list", "terms:appointment-export", [], {"ending_within": "90"}, None),
    ("terms:support-list", "terms:support-export", [], {}, None),
    ("experts:nomination-list", "experts:nomination-export", [], {"state": "draft"}, None),
    ("experts:changerequest-list", "experts:changerequest-export", [], {"all": "1"}, None),
    ("experts:institution-list", "experts:institution-export", [], {"q": "大学"}, None),
    ("subsidies:payment-due", "subsidies:payment-due-export", [], {}, "payments"),
    ("subsidies:batch-list", "subsidies:batch-list-export", [], {}, None),
    ("subsidies:subsidy-list", "subsidies:subsidy-export", [], {}, None),
    ("subsidies:matching-overdue", "subsidies:matching-overdue-export", [], {}, None),
    ("subsidies:budget-detail", "subsidies:commitment-export", ["{year}"], {}, "commitments"),
]


@pytest.fixture
def more_rows(known):
    """Rows for the lists the dashboard's data leaves empty."""
    from datetime import timedelta

    from django.utils import timezone

    from enterprises.models import MatchmakingEvent
    from tests.factories import subsidies as sf
    from tests.factories.experts import make_nomination

    for n in range(2):
        MatchmakingEvent.objects.create(
            title=f"医药健康专场对接会{n}",
            held_on=timezone.localdate() - timedelta(days=n),
            location="未来科学城",
        )
    make_nomination(name="草稿专家")
    sf.PaymentFactory(budget_year=known["year"])
    sf.PaymentFactory(budget_year=known["year"], payee_name="=cmd|' /C calc'!A0")
    sf.PaymentBatchFactory()
    return known


def _ids_of_export(content: bytes) -> list[int]:
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    return [r[0] for r in rows[1:]]


def _fill(value, year):
    return value.replace("{year}", str(year)) if isinstance(value, str) else value


@pytest.mark.django_db
@pytest.mark.parametrize(("list_name", "export_name", "args", "params", "key"), LISTS)
def test_export_holds_exactly_the_filtered_rows(
    more_rows, verified_client, list_name, export_name, args, params, key
):
    user = UserFactory(roles=[Role.COMMISSION, Role.FINANCE])
    client = verified_client(user)
    year = more_rows["year"]
    args = [int(_fill(a, year)) for a in args]
    params = {k: _fill(v, year) for k, v in params.items()}
    page = client.get(reverse(list_name, args=args), params)
    assert page.status_code == 200
    if key is None:
        listed = [o.pk for o in page.context["page_obj"].paginator.object_list]
    else:
        listed = [o.pk for o in page.context[key]]
    response = client.get(reverse(export_name, args=args), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _ids_of_export(response.content) == listed
    event = AuditEvent.objects.filter(action="export.xlsx", actor=user).latest("pk")
    assert event.data["rows"] == len(listed)
    assert {k: v[0] for k, v in event.data["filter"].items()} == params
    if list_name in ("enterprises:event-list", "experts:nomination-list", "subsidies:payment-due"):
        assert listed  # these lists have rows in this test's data


@pytest.mark.django_db
def test_export_button_carries_the_filter(known, verified_client):
    client = verified_client(known["staff"])
    html = client.get(reverse("projects:project-list"), {"state": "accepted", "page": "1"}).content.decode()
    assert f'href="{reverse("projects:project-export")}?state=accepted"' in html


@pytest.mark.django_db
def test_export_needs_the_list_permission(known, verified_client):
    client = verified_client(UserFactory(roles=[Role.WORKING_GROUP]))
    assert client.get(reverse("projects:round-export")).status_code == 404
    assert client.get(reverse("subsidies:payment-due-export")).status_code == 404


def test_formula_cells_are_written_as_text():
    content = xlsx_bytes("t", ["a"], [['=HYPERLINK("http://x")'], ["+1"], ["正常"]])
    ws = load_workbook(io.BytesIO(content)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "正常",
    ]


def test_column_follows_paths_and_choice_labels():
    class Obj:
        state = "x"

        def get_state_display(self):
            return "标签"

        inner = None

    assert Column("s", "state").get(Obj()) == "标签"
    assert Column("i", "inner.name").get(Obj()) == ""
    assert Column("f", lambda o: True).get(Obj()) == "是"


@pytest.mark.celery_worker
@pytest.mark.usefixtures("redis_celery")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_big_export_runs_in_a_worker_and_only_its_owner_downloads_it(
    client,
    settings,
    tmp_path,
):
    from tests.factories.accounts import otp_login

    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_ASYNC_THRESHOLD = 2
    for _ in range(3):
        pf.enterprise()
    unverified, _user = pf.enterprise()
    unverified.state = "registered"  # outside the filter: the worker must apply it
    unverified.save(update_fields=["state"])
    owner = UserFactory(roles=[Role.COMMISSION])
    otp_login(client, owner)
    response = client.get(reverse("enterprises:enterprise-export"), {"state": "verified"})
    assert response.status_code == 302
    status_url = response["Location"]
    job_id = status_url.rstrip("/").split("/")[-1]
    assert AuditEvent.objects.filter(action="export.queued", actor=owner).exists()

    deadline = time.monotonic() + 30
    while True:
        page = client.get(status_url)
        assert page.status_code == 200
        if page.context["job"]["state"] in ("done", "failed"):
            break
        assert '<meta http-equiv="refresh"' in page.content.decode()
        assert time.monotonic() < deadline, "the worker did not finish the export"
        time.sleep(0.3)
    assert page.context["job"]["state"] == "done"
    assert page.context["percent"] == 100
    download_url = reverse("core:export-download", args=[job_id])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    ids = _ids_of_export(b"".join(download.streaming_content))
    from enterprises.models import Enterprise

    assert sorted(ids) == sorted(Enterprise.objects.filter(state="verified").values_list("pk", flat=True))
    assert len(ids) == 3
    assert AuditEvent.objects.filter(action="export.download", actor=owner).exists()

    other = UserFactory(roles=[Role.COMMISSION])
    client.logout()
    otp_login(client, other)
    assert client.get(status_url).status_code == 404
    assert client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_list_keeps_and_shows_the_dashboard_filter(known, verified_client):
    client = verified_client(known["staff"])
    html = client.get(reverse("projects:project-list"), {"round": known["round"].pk, "state": ""}).content
    html = html.decode()
    assert f'<input type="hidden" name="round" value="{known["round"].pk}">' in html
    assert 'href="?state="' in html  # the badge's link removes the round filter only


@pytest.mark.django_db
@pytest.mark.parametrize(
    "export_name",
    [
        "projects:project-export",
        "terms:appointment-export",
        "enterprises:intent-export",
        "enterprises:demand-export",
    ],
)
def test_export_query_count_does_not_grow_with_rows(
    known, verified_client, django_assert_max_num_queries, export_name
):
    from tests.factories import subsidies as sf

    client = verified_client(known["staff"])
    with django_assert_max_num_queries(30) as first:
        assert client.get(reverse(export_name)).status_code == 200
    for _ in range(3):
        pf.project(state="submitted")
        sf.appointment()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse(export_name))
