from ckanext.hamm.search import analysis


def test_umlauts_fold_to_both_spellings():
    assert analysis.fold_variants("Grünflächen") == ("gruenflaechen", "grunflachen")
    assert analysis.fold_variants("Straßen") == ("strassen", "strassen")


def test_tokens_cover_all_spellings_once():
    assert analysis.tokens("Kühle Orte") == ["kuehle", "orte", "kuhle"]
