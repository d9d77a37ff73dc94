"""A checker for schema.org JSON-LD against an offline extract of the vocabulary.

Every ``@type`` must be a schema.org type, every property must be one whose domain
includes the node's type (or one of its super types), and every value must fit one of
the property's ranges: a nested node by its type, a string by the data type's form
(a URL is absolute http(s), a Date is ``YYYY-MM-DD``), booleans and numbers by theirs.
"""
from __future__ import annotations

import datetime
import functools
import json
import re
from pathlib import Path
from typing import Any

VOCABULARY = Path(__file__).resolve().parent.parent / "dataset" / "data" / "schema_org_subset.json"
URL = re.compile(r"https?://[^\s]+")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
KEYWORDS = {"@context", "@id", "@type"}


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    return json.loads(VOCABULARY.read_text(encoding="utf-8"))


def ancestors(type_name: str) -> set[str]:
    """The type and all its super types."""
    types = vocabulary()["types"]
    seen: set[str] = set()
    todo = [type_name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += types.get(current, {}).get("subTypeOf", [])
    return seen


def _is_datetime(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in text


def _literal_fits(value: Any, range_name: str) -> bool:
    if isinstance(value, bool):
        return range_name == "Boolean"
    if isinstance(value, (int, float)):
        return range_name == "Number" or (range_name == "Integer" and isinstance(value, int))
    if not isinstance(value, str):
        return False
    return {"Text": True, "URL": bool(URL.fullmatch(value)), "Date": bool(DATE.fullmatch(value)),
            "DateTime": _is_datetime(value)}.get(range_name, False)


def check(node: Any, path: str = "$") -> list[str]:
    """The problems of one JSON-LD node (``[]`` when it is valid)."""
    if not isinstance(node, dict):
        return [f"{path}: not a node"]
    vocab = vocabulary()
    type_name = node.get("@type")
    if type_name not in vocab["types"]:
        return [f"{path}: unknown type {type_name!r}"]
    problems = []
    if path == "$" and node.get("@context") not in ("https://schema.org/", "https://schema.org", "http://schema.org/"):
        problems.append(f"{path}: @context is not schema.org")
    own = ancestors(type_name)
    for name, value in node.items():
        if name in KEYWORDS:
            continue
        prop = vocab["properties"].get(name)
        if prop is None:
            problems.append(f"{path}.{name}: not a schema.org property")
            continue
        if not own.intersection(prop["domainIncludes"]):
            problems.append(f"{path}.{name}: not a property of {type_name}")
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{path}.{name}[{index}]"
            if isinstance(item, dict):
                if not ancestors(str(item.get("@type"))).intersection(prop["rangeIncludes"]):
                    problems.append(f"{where}: {item.get('@type')!r} is not in {prop['rangeIncludes']}")
                else:
                    problems += check(item, where)
            elif not any(_literal_fits(item, r) for r in prop["rangeIncludes"]):
                problems.append(f"{where}: {item!r} fits none of {prop['rangeIncludes']}")
    return problems
