"""One reader of typed dates: the form, the API and the inventory spreadsheet agree.

German users write TT.MM.JJJJ and, in short, TT.MM.JJ ("31.05.26" is the 31 May 2026);
the spreadsheet import always read the short form, the form and the API refused it.
"""
from __future__ import annotations

import pytest

from ckanext.hamm.inventory import cells
from ckanext.hamm.inventory.validators import hamm_iso_date

NO_LOOKUPS = cells.Lookups({}, set(), {}, {}, None, {}, {}, {})


def _from_sheet(text: str):
    fields, problems = cells.to_fields({"geplante_veroeffentlichung": text}, NO_LOOKUPS)
    return fields.get("geplante_veroeffentlichung"), [p.de for p in problems]


@pytest.mark.parametrize("typed, iso", [
    ("31.05.26", "2026-05-31"),      # TT.MM.JJ: the short German form
    ("5.5.26", "2026-05-05"),
    ("31.05.2026", "2026-05-31"),
    ("2026-05-31", "2026-05-31"),
    ("2026-05-31T00:00:00", "2026-05-31"),
])
def test_the_form_and_the_spreadsheet_read_a_date_alike(typed, iso):
    assert hamm_iso_date(typed, {}) == iso
    assert _from_sheet(typed) == (iso, [])


@pytest.mark.parametrize("typed", ["31.13.26", "Mai 2026", "2026-05-31x", "31/05/2026"])
def test_what_is_no_date_is_refused_by_both(typed):
    with pytest.raises(Exception, match="Ungültiges Datum"):
        hamm_iso_date(typed, {})
    value, problems = _from_sheet(typed)
    assert value is None and problems == [f"„{typed}“ ist kein Datum (erwartet TT.MM.JJJJ)."]
