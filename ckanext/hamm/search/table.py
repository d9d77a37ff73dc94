"""The ``hamm_search_index`` table: its DDL, and a cheap check that it exists.

Layout (schema 2) is shaped by what a search reads for *every* candidate row:
the visibility filter CKAN adds to each query (``site_id``, ``state``,
``capacity``, ``dataset_type``, ``permission_labels``) and the facet values.
Those live in small inline columns; the big ones (documents, analysed
``fields``, ``tsv``) are pushed out of line with a low ``toast_tuple_target``
so that scanning 50,000 rows reads a few MB, and big values are fetched only
for the page of results (or the rows a text query ranks).

German compound parts come from PostgreSQL's Ispell dictionary template fed
with Debian's Hunspell dictionary (``dictionary.py``): the text search
configuration ``hamm_compound`` maps words to their dictionary parts, which
``hamm_compound_parts``/``hamm_compound_query`` stem like the German words.
Without the dictionary files the configuration maps nothing, so the index
works as before, without compound parts.

The migrations create the table. CKAN's test fixtures (``reset_db``) drop every
table in the database and re-create only core's, so the backend re-creates the
table itself when it finds it missing (checked once per transaction).
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.orm import scoped_session

log = logging.getLogger(__name__)

TABLE = "hamm_search_index"
# A column that only the current layout has: its absence means an older table.
_LAYOUT_MARKER = "made_here"
_CHECKED = "hamm_search_table_checked"

COMPOUND_CONFIG = "hamm_compound"
PARTS_CONFIG = "hamm_parts"
_WORD_TOKENS = "asciiword, word, hword_part, hword_asciipart"
# Parts of one word, pairwise, as one lexeme ("Radverkehrszählung": radxxverkehr, radxxzahl,
# verkehrxxzahl): "Radzählung" needs both parts in one word, not "Rad" and "Zahl" anywhere
# (``compounds.py``). From the stemmed parts (``parts.lexemes``), sorted by code point.
PAIR_SEPARATOR = "xx"
PAIR_SQL = (
    "SELECT a.stem || '" + PAIR_SEPARATOR + "' || b.stem AS pair "
    "FROM (SELECT DISTINCT s.stem FROM unnest(parts.lexemes) AS l(lexeme), "
    "unnest(ts_lexize('hamm_german_stem', l.lexeme)) AS s(stem)) AS a, "
    "(SELECT DISTINCT s.stem FROM unnest(parts.lexemes) AS l(lexeme), "
    "unnest(ts_lexize('hamm_german_stem', l.lexeme)) AS s(stem)) AS b "
    'WHERE a.stem COLLATE "C" < b.stem COLLATE "C"'
)
COMPOUND_STATEMENTS = (
    # The dictionary is optional: without its files the configuration maps nothing.
    # Parts are stemmed by German Snowball without its stop words ("Radwege": "weg").
    f"""
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{PARTS_CONFIG}') THEN
        CREATE TEXT SEARCH DICTIONARY hamm_german_stem (TEMPLATE = snowball, Language = german);
        CREATE TEXT SEARCH CONFIGURATION {PARTS_CONFIG} (PARSER = default);
        ALTER TEXT SEARCH CONFIGURATION {PARTS_CONFIG} ADD MAPPING FOR {_WORD_TOKENS} WITH hamm_german_stem;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{COMPOUND_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {COMPOUND_CONFIG} (PARSER = default);
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg
                     WHERE c.cfgname = '{COMPOUND_CONFIG}') THEN
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'hamm_german_compound') THEN
            CREATE TEXT SEARCH DICTIONARY hamm_german_compound (
              TEMPLATE = ispell, DictFile = hamm_german, AffFile = hamm_german);
          END IF;
          ALTER TEXT SEARCH CONFIGURATION {COMPOUND_CONFIG}
            ADD MAPPING FOR {_WORD_TOKENS} WITH hamm_german_compound;
        EXCEPTION WHEN OTHERS THEN
          RAISE WARNING 'hamm_search: German compound dictionary not installed (%), compounds are not split; '
                        'run python -m ckanext.hamm.search.dictionary', SQLERRM;
        END;
      END IF;
    END $$
    """,
    # The dictionary's parts of every word of a text, stemmed (which also folds umlauts), and the
    # pairs of parts of one word (``PAIR_SQL``): indexed as words of their field.
    f"""
    CREATE OR REPLACE FUNCTION hamm_compound_parts(words text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      WITH parts AS (
        SELECT t.token, tsvector_to_array(to_tsvector('{COMPOUND_CONFIG}', t.token)) AS lexemes
        FROM (SELECT DISTINCT p.token FROM ts_parse('default', words) AS p
              WHERE p.tokid IN (SELECT tokid FROM ts_token_type('default')
                                WHERE alias IN ('{"', '".join(_WORD_TOKENS.split(", "))}'))) AS t),
      found AS (
        SELECT unnest(lexemes) AS lexeme FROM parts
        UNION ALL
        SELECT pairs.pair FROM parts, LATERAL ({PAIR_SQL}) AS pairs)
      SELECT to_tsvector('{PARTS_CONFIG}', coalesce(
        (SELECT array_to_string(tsvector_to_array(array_to_tsvector(array_agg(lexeme))), ' ') FROM found), ''))
    $$
    """,
    # A query word's parts as one OR query (empty when the dictionary does not know it).
    """
    CREATE OR REPLACE FUNCTION hamm_compound_query(words text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT coalesce(
        (SELECT string_agg(quote_literal(lexeme), ' | ')
         FROM unnest(tsvector_to_array(hamm_compound_parts(words))) AS lexeme),
        '')::tsquery
    $$
    """,
)

# The compound parts of many texts at once, as ``hamm_compound_parts`` would find them one by one:
# for each text (by its position in :texts) the dictionary's lexemes of its words, in tsvector
# order and space-separated, ready for ``to_tsvector('hamm_parts', …)``. The dictionary is asked
# once per distinct word of the whole batch instead of once per occurrence of a word.
COMPOUND_PARTS_BATCH = f"""
WITH words AS (
  SELECT DISTINCT t.position, p.token
  FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS t(words, position),
       ts_parse('default', t.words) AS p
  WHERE p.tokid IN (SELECT tokid FROM ts_token_type('default')
                    WHERE alias IN ('{"', '".join(_WORD_TOKENS.split(", "))}'))),
parts AS (
  SELECT d.token, tsvector_to_array(to_tsvector('{COMPOUND_CONFIG}', d.token)) AS lexemes
  FROM (SELECT DISTINCT token FROM words) AS d),
found AS (
  SELECT token, lexemes FROM parts
  UNION ALL
  SELECT parts.token, array_agg(pairs.pair) FROM parts, LATERAL ({PAIR_SQL}) AS pairs GROUP BY parts.token)
SELECT words.position, array_to_string(tsvector_to_array(array_to_tsvector(array_agg(lexeme))), ' ')
FROM words JOIN found USING (token) CROSS JOIN LATERAL unnest(found.lexemes) AS lexeme
GROUP BY words.position
"""

# CKAN's default order (``score desc, metadata_modified desc``: without free text the newest
# first) with our tie-breaker, so that /dataset and every filter-only search walk the index and
# stop after one page instead of sorting all visible datasets. It also serves date ranges.
RECENT_INDEX_STATEMENTS = (
    f'CREATE INDEX IF NOT EXISTS {TABLE}_recent_idx ON {TABLE} '
    f'(metadata_modified DESC NULLS LAST, index_id COLLATE "C")',
    f"DROP INDEX IF EXISTS {TABLE}_modified_idx",
)

# The extent of a dataset (ckanext-spatial's ``solr-bbox`` fields, WGS 84 degrees) in plain
# columns, with a GiST index over the box so that ``ext_bbox`` reads only the boxes it overlaps
# (PostgreSQL's own ``box`` type: no PostGIS needed). See ``spatial.py``.
BBOX_COLUMNS = ("minx", "miny", "maxx", "maxy")
BBOX_SQL = "box(point(minx, miny), point(maxx, maxy))"
SPATIAL_STATEMENTS = (
    *(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {column} double precision" for column in BBOX_COLUMNS),
    f"CREATE INDEX IF NOT EXISTS {TABLE}_bbox_idx ON {TABLE} USING gist ({BBOX_SQL}) WHERE minx IS NOT NULL",
)

CREATE_STATEMENTS = (
    f"""
    CREATE TABLE IF NOT EXISTS {TABLE} (
        index_id text PRIMARY KEY,
        id text NOT NULL,
        site_id text NOT NULL,
        name text,
        title_string text,
        state text,
        capacity text,
        dataset_type text,
        made_here boolean NOT NULL DEFAULT true,
        metadata_created timestamptz,
        metadata_modified timestamptz,
        permission_labels text[] NOT NULL DEFAULT '{{}}',
        facets text[] NOT NULL DEFAULT '{{}}',
        fields jsonb NOT NULL,
        stored jsonb NOT NULL,
        data_dict text,
        validated_data_dict text,
        tsv tsvector NOT NULL
    ) WITH (toast_tuple_target = 256)
    """,
    # Everything a filter, sort or facet pass reads stays in the row: with the low
    # toast target the toaster would otherwise move even short titles out of line
    # and a sort would fetch them from TOAST on every comparison.
    *(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE PLAIN"
      for column in ("index_id", "id", "site_id", "name", "state", "capacity", "dataset_type")),
    *(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE MAIN"
      for column in ("title_string", "facets", "permission_labels")),
    f"CREATE INDEX IF NOT EXISTS {TABLE}_fields_idx ON {TABLE} USING gin (fields jsonb_path_ops)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_facets_idx ON {TABLE} USING gin (facets)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv_idx ON {TABLE} USING gin (tsv)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_id_idx ON {TABLE} (id)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_name_idx ON {TABLE} (name)",
    *RECENT_INDEX_STATEMENTS,
    *SPATIAL_STATEMENTS,
    f"CREATE INDEX IF NOT EXISTS {TABLE}_created_idx ON {TABLE} (metadata_created)",
    f'CREATE INDEX IF NOT EXISTS {TABLE}_title_idx ON {TABLE} (title_string COLLATE "C")',
    # One row, bumped by every committed index write: facet counts cached under
    # (token, version) are valid exactly as long as nothing was written since.
    "CREATE TABLE IF NOT EXISTS hamm_search_version (token text NOT NULL, version bigint NOT NULL)",
    "INSERT INTO hamm_search_version SELECT md5(random()::text || clock_timestamp()::text), 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM hamm_search_version)",
    *COMPOUND_STATEMENTS,
)

VERSION_TABLE = "hamm_search_version"
DROP_STATEMENT = f"DROP TABLE IF EXISTS {TABLE}, {VERSION_TABLE}"
DROP_COMPOUND_STATEMENT = (
    "DROP FUNCTION IF EXISTS hamm_compound_query(text), hamm_compound_parts(text); "
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {COMPOUND_CONFIG}, {PARTS_CONFIG}; "
    "DROP TEXT SEARCH DICTIONARY IF EXISTS hamm_german_compound, hamm_german_stem"
)

_STATUS = sa.text(
    f"SELECT to_regclass('{TABLE}') IS NOT NULL, EXISTS (SELECT 1 FROM pg_attribute "
    f"WHERE attrelid = to_regclass('{TABLE}') AND attname = '{_LAYOUT_MARKER}' AND NOT attisdropped), "
    f"to_regclass('{VERSION_TABLE}') IS NOT NULL AND to_regproc('hamm_compound_query') IS NOT NULL, "
    f"EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('{TABLE}') AND attname = 'maxy' "
    f"AND NOT attisdropped)"
)


def create(connection: sa.engine.Connection) -> None:
    for statement in CREATE_STATEMENTS:
        connection.execute(sa.text(statement))


def ensure(session) -> None:
    """Re-create the table (in its own transaction) if something dropped it.

    Checked once per transaction: a rebuild of 10,000 datasets asks once, not
    10,000 times. A table of an older layout is replaced (the index is derived
    data; ``ckan search-index rebuild`` refills it).
    """
    if isinstance(session, scoped_session):
        session = session()
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_CHECKED) is transaction:
        return
    exists, current, versioned, spatial = session.execute(_STATUS).one()
    if exists and current and versioned and not spatial:
        # layout 3.2 only adds the extent columns: no need to replace the table
        with session.get_bind().engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": TABLE})
            for statement in SPATIAL_STATEMENTS:
                connection.execute(sa.text(statement))
    elif not (exists and current and versioned):
        if exists and not current:
            log.warning("Search index table %s has an older layout; replacing it. "
                        "Run `ckan search-index rebuild`.", TABLE)
        elif not exists:
            log.warning("Search index table %s was missing; creating it "
                        "(run `ckan search-index rebuild`).", TABLE)
        with session.get_bind().engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": TABLE})
            if exists and not current:
                connection.execute(sa.text(DROP_STATEMENT))
            create(connection)
    session.info[_CHECKED] = session.get_transaction()
