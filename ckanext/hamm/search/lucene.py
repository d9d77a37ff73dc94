"""Parser for the subset of Lucene query syntax that CKAN and its users send.

It produces a small tree (``Bool``, ``Term``, ``Phrase``, ``Range``,
``MatchAll``) that ``sql.py`` compiles; anything outside the subset raises
``SearchQueryError`` with a readable message, so a query is either answered
the way Solr would answer it or refused, never silently answered wrongly.

Boolean semantics follow Lucene's classic ``QueryParser`` (``addClause``):
``q.op`` decides what a bare clause means, ``AND``/``OR`` re-mark their
neighbours, ``+``/``-``/``NOT`` set a clause's occurrence.
"""
from __future__ import annotations

import dataclasses
from typing import Literal, Optional, Union

from ckan.lib.search.common import SearchQueryError

Occur = Literal["must", "should", "must_not"]


@dataclasses.dataclass(frozen=True)
class Term:
    field: Optional[str]  # None: the default field
    value: str
    wildcard: bool = False


@dataclasses.dataclass(frozen=True)
class Phrase:
    field: Optional[str]
    value: str


@dataclasses.dataclass(frozen=True)
class Range:
    field: Optional[str]
    low: Optional[str]  # None: open ("*")
    high: Optional[str]
    include_low: bool
    include_high: bool


@dataclasses.dataclass(frozen=True)
class MatchAll:
    pass


@dataclasses.dataclass(frozen=True)
class Bool:
    clauses: tuple[tuple[Occur, "Node"], ...]


Node = Union[Term, Phrase, Range, MatchAll, Bool]

_SPECIAL = set('+-!():^[]"{}~\\')
_CONJ_AND = {"AND", "&&"}
_CONJ_OR = {"OR", "||"}


class _Parser:
    def __init__(self, text: str, default_and: bool):
        self.text = text
        self.pos = 0
        self.default_and = default_and

    # -- low-level scanning -------------------------------------------------
    def error(self, message: str) -> SearchQueryError:
        return SearchQueryError(
            f"Die Suchanfrage wurde nicht verstanden – bitte Klammern und Anführungszeichen prüfen "
            f"oder nur Suchbegriffe eingeben. / The search query was not understood: {message} "
            f"(at position {self.pos} of {self.text!r})"
        )

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_word(self, *words: str) -> Optional[str]:
        """The keyword at the cursor if it stands alone (followed by space or bracket)."""
        for word in words:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and (
                end >= len(self.text) or self.text[end].isspace() or self.text[end] in "()"
                or word in ("&&", "||")
            ):
                return word
        return None

    def read_bare(self) -> tuple[str, bool]:
        """Read an unquoted term; return (unescaped value, has unescaped wildcard)."""
        out: list[str] = []
        wildcard = False
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                if self.pos + 1 >= len(self.text):
                    raise self.error("Escape character at the end of the query")
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if ch.isspace() or (ch in _SPECIAL and not (ch in "+-!" and self.pos > start)):
                break
            if ch in "*?":
                wildcard = True
            out.append(ch)
            self.pos += 1
        return "".join(out), wildcard

    def read_quoted(self) -> str:
        assert self.peek() == '"'
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            if ch == '"':
                self.pos += 1
                return "".join(out)
            out.append(ch)
            self.pos += 1
        raise self.error("Unclosed quotation mark")

    def skip_suffixes(self) -> None:
        """Boosts (``^2``) only weigh scores; fuzzy/proximity (``~``) is refused."""
        while self.peek() in ("^", "~"):
            if self.peek() == "~":
                raise self.error("Fuzzy and proximity searches (~) are not supported")
            self.pos += 1
            while self.pos < len(self.text) and (self.text[self.pos].isdigit() or self.text[self.pos] == "."):
                self.pos += 1

    # -- grammar --------------------------------------------------------------
    def parse_query(self, field: Optional[str], closing: bool = False) -> Node:
        clauses: list[list] = []  # [occur, node]
        while True:
            self.skip_ws()
            if not self.peek():
                if closing:
                    raise self.error("Missing closing parenthesis")
                break
            if self.peek() == ")":
                if not closing:
                    raise self.error("Unbalanced closing parenthesis")
                self.pos += 1
                break
            conj = None
            word = self.at_word("AND", "OR", "&&", "||")
            if word:
                conj = "and" if word in _CONJ_AND else "or"
                self.pos += len(word)
                self.skip_ws()
                if not clauses:
                    raise self.error(f"{word} needs a clause before it")
            mod = None
            if self.peek() in ("+", "-", "!"):
                mod = "must" if self.peek() == "+" else "must_not"
                self.pos += 1
            elif self.at_word("NOT"):
                mod = "must_not"
                self.pos += 3
            self.skip_ws()
            node = self.parse_clause(field)
            self._add_clause(clauses, conj, mod, node)
        if not clauses:
            raise self.error("Empty query")
        if len(clauses) == 1 and clauses[0][0] in ("must", "should"):
            return clauses[0][1]
        return Bool(tuple((occur, node) for occur, node in clauses))

    def _add_clause(self, clauses: list[list], conj: Optional[str], mod: Optional[str], node: Node) -> None:
        # Lucene's QueryParserBase.addClause, step by step.
        if clauses and conj == "and" and clauses[-1][0] != "must_not":
            clauses[-1][0] = "must"
        if clauses and self.default_and and conj == "or" and clauses[-1][0] != "must_not":
            clauses[-1][0] = "should"
        prohibited = mod == "must_not"
        if self.default_and:
            required = not prohibited and conj != "or"
        else:
            required = mod == "must" or (conj == "and" and not prohibited)
        if required and not prohibited:
            occur: Occur = "must"
        elif prohibited:
            occur = "must_not"
        else:
            occur = "should"
        clauses.append([occur, node])

    def parse_clause(self, field: Optional[str]) -> Node:
        ch = self.peek()
        if ch == "(":
            self.pos += 1
            node = self.parse_query(field, closing=True)
            self.skip_suffixes()
            return node
        if ch == '"':
            node = Phrase(field, self.read_quoted())
            self.skip_suffixes()
            return node
        if ch in "[{":
            node = self.parse_range(field)
            self.skip_suffixes()
            return node
        if not ch or ch in _SPECIAL and ch != "\\":
            raise self.error(f"Unexpected character {ch!r}" if ch else "Query ends too early")
        if ch == "/":
            raise self.error("Regular expression searches are not supported")
        start = self.pos
        value, wildcard = self.read_bare()
        after = self.pos
        self.skip_ws()  # spaces before the colon still name a field, as in Lucene: "_query_store : true"
        if self.peek() != ":" or not value:
            self.pos = after
        if self.peek() == ":" and self.text[start] not in "\\":
            # field:value (a field name cannot itself carry a wildcard other than *:*)
            self.pos += 1
            if field is not None and value != "*":
                raise self.error("A field cannot be named inside another field's group")
            if value == "*" and self.text.startswith("*", self.pos):
                self.pos += 1
                self.skip_suffixes()
                return MatchAll()
            self.skip_ws()
            return self.parse_clause(value)
        self.skip_suffixes()
        if not value:
            raise self.error("Empty search term")
        return Term(field, value, wildcard)

    def parse_range(self, field: Optional[str]) -> Range:
        include_low = self.peek() == "["
        self.pos += 1
        low = self.read_range_value()
        self.skip_ws()
        if not self.text.startswith("TO", self.pos):
            raise self.error("A range needs the form [from TO to]")
        self.pos += 2
        high = self.read_range_value()
        self.skip_ws()
        closing = self.peek()
        if closing not in ("]", "}"):
            raise self.error("A range must end with ] or }")
        self.pos += 1
        return Range(field, low, high, include_low, closing == "]")

    def read_range_value(self) -> Optional[str]:
        self.skip_ws()
        if self.peek() == '"':
            return self.read_quoted()
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace() and self.text[self.pos] not in "]}":
            self.pos += 1
        value = self.text[start:self.pos].replace("\\", "")
        if not value:
            raise self.error("A range bound is missing")
        return None if value == "*" else value


def parse(text: str, default_and: bool = True) -> Node:
    """Parse ``text``; ``default_and`` mirrors ``q.op=AND`` (CKAN's setting)."""
    return _Parser(text, default_and).parse_query(None)
