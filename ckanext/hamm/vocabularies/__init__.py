"""The city's vocabularies: the YAML store, the three Hamm dimensions, form choices, SKOS, DCAT-AP.de code lists."""

# The three Hamm dimensions: dataset field = vocabulary id = ``vocab_<id>`` search key.
# The one list every layer (schema checks, index, facets, pages, DCAT, harvester) reads.
DIMENSIONS: tuple[str, ...] = ("handlungsfeld", "zielgruppe", "persona")
