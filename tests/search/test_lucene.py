"""The Lucene subset parser: boolean semantics follow Lucene's classic QueryParser."""
import pytest
from ckan.lib.search.common import SearchQueryError

from ckanext.hamm.search import lucene
from ckanext.hamm.search.lucene import Bool, MatchAll, Phrase, Range, Term


def test_core_site_and_capacity_filter_is_two_required_clauses():
    assert lucene.parse('+site_id:"x" +capacity:public') == Bool((
        ("must", Phrase("site_id", "x")), ("must", Term("capacity", "public")),
    ))


def test_field_group_applies_field_to_each_alternative():
    node = lucene.parse('+permission_labels:("public" OR "member-1")')
    assert node == Bool((("should", Phrase("permission_labels", "public")),
                         ("should", Phrase("permission_labels", "member-1"))))


def test_bare_clauses_are_required_under_q_op_and():
    assert lucene.parse("a b") == Bool((("must", Term(None, "a")), ("must", Term(None, "b"))))


def test_bare_clauses_are_optional_under_q_op_or():
    assert lucene.parse("a b", default_and=False) == Bool((("should", Term(None, "a")),
                                                            ("should", Term(None, "b"))))


def test_or_turns_its_left_neighbour_optional():
    node = lucene.parse("a AND b OR c")
    assert [occur for occur, _ in node.clauses] == ["must", "should", "should"]


@pytest.mark.parametrize("text", ["-capacity:private", "NOT capacity:private", "!capacity:private"])
def test_negations(text):
    assert lucene.parse(text) == Bool((("must_not", Term("capacity", "private")),))


def test_match_all_and_wildcards():
    assert lucene.parse("*:*") == MatchAll()
    assert lucene.parse("tags:baum*") == Term("tags", "baum*", wildcard=True)


def test_ranges_keep_inclusiveness_and_open_ends():
    assert lucene.parse("metadata_modified:[NOW-1DAY TO *]") == Range("metadata_modified", "NOW-1DAY", None, True, True)
    assert lucene.parse("num:{1 TO 5]") == Range("num", "1", "5", False, True)
    assert lucene.parse("metadata_created:[2020-01-01T00:00:00Z TO 2021-01-01T00:00:00Z}") == Range(
        "metadata_created", "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", True, False)


def test_escaped_characters_are_literal():
    assert lucene.parse(r"res_url:http\://x.de/a\ b") == Term("res_url", "http://x.de/a b")


def test_hyphen_inside_a_term_is_not_a_negation():
    assert lucene.parse("name:baum-kataster") == Term("name", "baum-kataster")


def test_boost_is_accepted():
    assert lucene.parse("title:baum^4") == Term("title", "baum")


@pytest.mark.parametrize("text, message", [
    ("title:(baum", "Missing closing parenthesis"),
    ('title:"baum', "Unclosed quotation mark"),
    ("baum~2", "not supported"),
    ("title:/ba.m/", "Regular expression"),
    ("num:[1 TO", "range"),
    ("AND baum", "needs a clause"),
    ("baum)", "Unbalanced"),
])
def test_unsupported_or_broken_syntax_is_refused_clearly(text, message):
    with pytest.raises(SearchQueryError, match=message):
        lucene.parse(text)
