from ckanext.hamm.search import analysis


def test_umlauts_fold_to_both_spellings():
    assert analysis.fold_variants("Grünflächen") == ("gruenflaechen", "grunflachen")
    assert analysis.fold_variants("Straßen") == ("strassen", "strassen")


def test_tokens_cover_all_spellings_once():
    assert analysis.tokens("Kühle Orte") == ["kuehle", "orte", "kuhle"]


def test_decomposed_umlauts_and_accents_fold_like_composed_ones():
    decomposed = "Gru\u0308nfla\u0308chen"  # ü and ä as u/a + combining diaeresis (macOS input)
    assert analysis.fold_variants(decomposed) == ("gruenflaechen", "grunflachen")
    assert analysis.fold_variants("Café Crème") == ("cafe creme", "cafe creme")
    assert analysis.fold_variants("ﬁlm") == ("film", "film")  # compatibility ligature


def test_plain_ascii_is_only_lower_cased():
    assert analysis.fold_variants("Verkehrszaehlung 2023") == ("verkehrszaehlung 2023",) * 2
