"""ckanext-spatial's extent queries, answered as its Solr backends answer them.

``spatial_query`` turns ``ext_bbox=minx,miny,maxx,maxy`` into Solr parameters
(``ckanext/spatial/search/__init__.py``):

* ``solr-bbox`` (its default): the filter ``{!frange incl=false l=0 u=1}<f>`` and
  the boost ``bf=<f>`` with ``defType=edismax``, where ``<f>`` is a function query
  over the fields ``minx``/``maxx``/``miny``/``maxy``: twice the overlap area
  divided by the sum of both areas. A dataset matches when ``0 < f <= 1``, i.e.
  when its box and the search box share an area (touching edges do not count),
  and the boost ranks by how well the boxes fit.
* ``solr-spatial-field``: ``{!field f=spatial_geom}Intersects(ENVELOPE(minx, maxx, maxy, miny))``,
  where touching counts.

Function queries are compiled to SQL over the ``minx`` … ``maxy`` columns with
Solr's rules (a missing value is 0, division by 0 matches nothing); anything
else in a function query is refused. When the function is the overlap ratio,
the GiST index on the box narrows the rows first (``table.BBOX_SQL``).
"""
from __future__ import annotations

import re
from typing import Union

from ckan.lib.search.common import SearchQueryError

from . import sql, table

NUMERIC_FIELDS = {"minx", "maxx", "miny", "maxy"}
_FUNCTIONS = {"div": 2, "mul": None, "sub": 2, "add": None, "sum": None, "max": 2, "min": 2, "abs": 1}
_NUMBER_RE = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_NAME_RE = re.compile(r"[a-z_][a-z0-9_]*")
_NUM = r"([-+]?[0-9.]+(?:[eE][-+]?\d+)?)"
# The overlap ratio exactly as ckanext-spatial writes it (spaces and line breaks removed).
_OVERLAP_RE = re.compile(
    rf"div\(mul\(mul\(max\(0,sub\(min\({_NUM},maxx\),max\({_NUM},minx\)\)\),"
    rf"max\(0,sub\(min\({_NUM},maxy\),max\({_NUM},miny\)\)\)\),2\),"
    rf"add\({_NUM},mul\(sub\(maxy,miny\),sub\(maxx,minx\)\)\)\)")
_ENVELOPE_RE = re.compile(rf"^Intersects\(ENVELOPE\(\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*\)\)$")

Expr = Union[float, str, tuple]


def _refused(reason: str) -> SearchQueryError:
    return SearchQueryError(
        "Diese räumliche Suchanfrage kann die Suche nicht beantworten. / "
        f"This spatial query cannot be answered by hamm_search: {reason}.")


class _FunctionParser:
    """``name(arg,arg…)`` | number | field, Solr's function query syntax (the subset above)."""

    def __init__(self, text: str):
        self.text = re.sub(r"\s+", "", text)
        self.pos = 0

    def parse(self) -> Expr:
        expr = self.expr()
        if self.pos != len(self.text):
            raise _refused(f"unexpected {self.text[self.pos:self.pos + 10]!r}")
        return expr

    def expr(self) -> Expr:
        number = _NUMBER_RE.match(self.text, self.pos)
        if number and number.group(0) not in ("+", "-"):
            self.pos = number.end()
            return float(number.group(0))
        name = _NAME_RE.match(self.text, self.pos)
        if not name:
            raise _refused(f"unexpected {self.text[self.pos:self.pos + 10]!r}")
        self.pos = name.end()
        word = name.group(0)
        if self.text[self.pos:self.pos + 1] != "(":
            if word not in NUMERIC_FIELDS:
                raise _refused(f"the field {word!r} is not a number field of the extent")
            return word
        if word not in _FUNCTIONS:
            raise _refused(f"the function {word!r} is not supported")
        self.pos += 1
        args = [self.expr()]
        while self.text[self.pos:self.pos + 1] == ",":
            self.pos += 1
            args.append(self.expr())
        if self.text[self.pos:self.pos + 1] != ")":
            raise _refused("a function's bracket is not closed")
        self.pos += 1
        arity = _FUNCTIONS[word]
        if arity is not None and len(args) != arity:
            raise _refused(f"{word}() takes {arity} arguments")
        return (word, *args)


def _sql(expr: Expr, bind: sql.Params) -> str:
    if isinstance(expr, float):
        return f"CAST({bind.add(expr)} AS double precision)"
    if isinstance(expr, str):
        return f"coalesce({expr}, 0)"  # Solr reads a missing number as 0
    name, *args = expr
    parts = [_sql(a, bind) for a in args]
    if name == "div":
        return f"({parts[0]} / nullif({parts[1]}, 0))"  # x/0 is NaN or Infinity in Solr: no range holds it
    if name == "sub":
        return f"({parts[0]} - {parts[1]})"
    if name in ("add", "sum"):
        return "(" + " + ".join(parts) + ")"
    if name == "mul":
        return "(" + " * ".join(parts) + ")"
    if name == "abs":
        return f"abs({parts[0]})"
    return f"{'greatest' if name == 'max' else 'least'}({parts[0]}, {parts[1]})"


def function_sql(text: str, bind: sql.Params) -> str:
    return _sql(_FunctionParser(text).parse(), bind)


def _bound(local: dict[str, str], key: str) -> float | None:
    value = local.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise _refused(f"{key}={value!r} is not a number") from None


def _box(bind: sql.Params, minx: float, miny: float, maxx: float, maxy: float) -> str:
    return (f"box(point({bind.add(minx)}, {bind.add(miny)}), point({bind.add(maxx)}, {bind.add(maxy)}))")


def frange_condition(local: dict[str, str], function: str, bind: sql.Params) -> str:
    """``{!frange l= u= incl= incu=}f``: ``f`` within the range (bounds inclusive unless false)."""
    value = function_sql(function, bind)
    low, high = _bound(local, "l"), _bound(local, "u")
    conditions = []
    if low is not None:
        conditions.append(f"{value} {'>=' if local.get('incl', 'true') != 'false' else '>'} {bind.add(low)}")
    if high is not None:
        conditions.append(f"{value} {'<=' if local.get('incu', 'true') != 'false' else '<'} {bind.add(high)}")
    overlap = _OVERLAP_RE.fullmatch(re.sub(r"\s+", "", function))
    if overlap and low is not None and (low > 0 or (low == 0 and local.get("incl") == "false")):
        # a positive overlap ratio needs the boxes to overlap: let the GiST index find them
        qmaxx, qminx, qmaxy, qminy = (float(overlap.group(i) or 0) for i in range(1, 5))
        conditions.insert(0, f"(minx IS NOT NULL AND {table.BBOX_SQL} && {_box(bind, qminx, qminy, qmaxx, qmaxy)})")
    return "(" + (" AND ".join(conditions) or "TRUE") + ")"


def field_condition(local: dict[str, str], query: str, bind: sql.Params) -> str:
    """``{!field f=spatial_geom}Intersects(ENVELOPE(minx, maxx, maxy, miny))`` on the extent's box."""
    if local.get("f") != "spatial_geom":
        raise _refused(f"the field parser answers only f=spatial_geom, not {local.get('f')!r}")
    match = _ENVELOPE_RE.match(query.strip())
    if not match:
        raise _refused("only Intersects(ENVELOPE(minx, maxx, maxy, miny)) is supported")
    minx, maxx, maxy, miny = (float(match.group(i) or 0) for i in range(1, 5))
    if minx > maxx or miny > maxy:
        raise _refused("the envelope's minimum is larger than its maximum")
    return f"(minx IS NOT NULL AND {table.BBOX_SQL} && {_box(bind, minx, miny, maxx, maxy)})"
