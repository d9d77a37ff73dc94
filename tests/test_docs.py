"""The README is a front door and docs/ holds the manual: options.md current, every link alive."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PAGES = sorted([REPO / "README.md", *DOCS.glob("*.md")])

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)\)")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_options", DOCS / "gen_options.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prose(path: Path) -> str:
    return CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))


def _anchors(path: Path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        if m := re.match(r"#{1,6} +(.+?) *#* *$", line):
            slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
            seen[slug] = seen.get(slug, -1) + 1
            if seen[slug]:
                seen[f"{slug}-{seen[slug]}"] = 0
    return set(seen)


def test_options_page_is_generated_and_current():
    assert (DOCS / "options.md").read_text(encoding="utf-8") == _generator().render(), (
        "docs/options.md is stale: run .venv/bin/python docs/gen_options.py")


def test_options_page_lists_every_declared_option():
    import yaml

    text = (DOCS / "options.md").read_text(encoding="utf-8")
    for path in _generator().DECLARATIONS:
        for group in yaml.safe_load((REPO / path).read_text(encoding="utf-8"))["groups"]:
            for option in group["options"]:
                assert f"| `{option['key']}` |" in text


def test_readme_is_a_front_door():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move the details into docs/"


def test_docs_has_a_page_per_topic():
    assert len(list(DOCS.glob("*.md"))) >= 6


def test_readme_links_every_docs_page():
    linked = {(REPO / target.split("#")[0]).resolve() for target in LINK.findall(_prose(REPO / "README.md"))}
    missing = [p.name for p in DOCS.glob("*.md") if p.resolve() not in linked]
    assert not missing, f"add these pages to the README's table of contents: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_point_to_existing_files_and_headings(page: Path):
    broken = []
    for target in LINK.findall(_prose(page)):
        if re.match(r"[a-z][a-z+.-]*:", target):  # https:, mailto: …
            continue
        file, _, anchor = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        if not dest.exists() or (anchor and dest.suffix == ".md" and anchor not in _anchors(dest)):
            broken.append(target)
    assert not broken, f"{page.relative_to(REPO)}: broken links {broken}"
