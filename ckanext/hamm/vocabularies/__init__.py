"""The city's vocabularies: the YAML store, the three Hamm dimensions, form choices, SKOS and the DCAT-AP.de code lists."""
