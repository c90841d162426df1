"""The user guide (docs/guide/) and the journey screenshots agree: every image a guide page shows exists,
every screenshot a journey takes (`guide_shot(page, "name")`, or `shot="name"` given to a helper that takes
it) is shown by some guide page, and no image lies unused. Refresh the images with
`GUIDE_SCREENSHOTS=1 make test PYTEST_ARGS="tests/browser"`."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide"
# The modules whose tests take the guide's screenshots (the journeys, and each role's work list).
HERE = Path(__file__).parent
JOURNEYS = [*sorted(HERE.glob("test_journeys_*.py")), HERE / "test_worklists.py"]
ROLE_PAGES = ["staff", "talent-office", "institution", "enterprise", "expert", "reviewer", "finance"]


def referenced_images() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in sorted(GUIDE.glob("*.md")):
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            found.setdefault(target, []).append(page.name)
    return found


SHOT = re.compile(r'(?:guide_shot\(\s*\w+,\s*|shot=)"([\w-]+)"')


def journey_shots() -> set[str]:
    return {shot for module in JOURNEYS for shot in SHOT.findall(module.read_text(encoding="utf-8"))}


def test_guide_has_an_index_and_a_page_per_role():
    index = (GUIDE / "README.md").read_text(encoding="utf-8")
    for role in ROLE_PAGES:
        assert (GUIDE / f"{role}.md").exists(), role
        assert f"({role}.md)" in index, f"README.md does not link {role}.md"


def test_every_referenced_image_exists():
    missing = [
        f"{target} (in {', '.join(pages)})"
        for target, pages in referenced_images().items()
        if not (GUIDE / target).is_file()
    ]
    assert not missing, missing


def test_every_journey_screenshot_is_shown_in_the_guide_and_exists():
    shots = journey_shots()
    assert len(shots) >= 25, shots  # the parser still finds the journeys' screenshots
    shown = {Path(target).stem for target in referenced_images()}
    assert not shots - shown, f"screenshots no guide page shows: {sorted(shots - shown)}"
    assert all((GUIDE / "img" / f"{name}.png").is_file() for name in shots)


def test_no_unused_images():
    shots = journey_shots()
    unused = [p.name for p in (GUIDE / "img").glob("*.png") if p.stem not in shots]
    assert not unused, f"images no journey takes (stale): {unused}"


def test_images_stay_small():
    big = [(p.name, p.stat().st_size) for p in (GUIDE / "img").glob("*.png") if p.stat().st_size > 250_000]
    assert not big, big


def test_document_samples_are_shown_and_small():
    """docs/guide/img/documents/: the rendered pages of every issued document (scripts/guide_documents.py),
    each shown by docs/guide/documents.md and under 250 KB."""
    folder = GUIDE / "img" / "documents"
    images = sorted(p.name for p in folder.glob("*.png"))
    shown = {Path(t).name for t in referenced_images() if t.startswith("img/documents/")}
    assert images and set(images) == shown, sorted(set(images) ^ shown)
    kinds = {name.rsplit("-", 1)[0] for name in images}
    assert kinds == {
        "district-letter",
        "enterprise-letter",
        "evaluation-opinion",
        "service-certificate",
        "award-certificate",
        "payment-statement",
        "annual-report",
    }, kinds
    big = [(p.name, p.stat().st_size) for p in folder.glob("*.png") if p.stat().st_size > 250_000]
    assert not big, big
