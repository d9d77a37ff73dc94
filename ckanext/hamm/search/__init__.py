"""hamm_search: CKAN's search index kept in PostgreSQL instead of Solr."""
