import datetime as dt

import pytest
from ckan.lib.search.common import SearchQueryError

from ckanext.hamm.search.dates import normalise_date, resolve_date_math

NOW = dt.datetime(2024, 5, 31, 13, 4, 5, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("expression, expected", [
    ("NOW", "2024-05-31T13:04:05.000000Z"),
    ("NOW-1DAY", "2024-05-30T13:04:05.000000Z"),
    ("NOW/DAY", "2024-05-31T00:00:00.000000Z"),
    ("NOW-1YEAR/MONTH", "2023-05-01T00:00:00.000000Z"),
    ("NOW+6MONTHS", "2024-11-30T13:04:05.000000Z"),
    ("2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000000Z"),
    ("2020-01-01T00:00:00Z+1MONTH", "2020-02-01T00:00:00.000000Z"),
    ("2020-01-01T10:00:00+02:00", "2020-01-01T08:00:00.000000Z"),
])
def test_solr_date_math(expression, expected):
    assert normalise_date(resolve_date_math(expression, NOW)) == expected


@pytest.mark.parametrize("expression", ["NOW-1FORTNIGHT", "31.12.2020", "NOW-"])
def test_bad_dates_are_refused(expression):
    with pytest.raises(SearchQueryError):
        resolve_date_math(expression, NOW)
