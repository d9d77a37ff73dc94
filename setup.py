"""Packaging lives in pyproject.toml; this file only lists the package data."""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["ckanext.*"]),
    package_data={
        "ckanext.hamm": [
            "config_declaration.yaml", "templates/**/*", "public/**/*", "assets/**/*",
            "i18n/**/*", "migration/**/*", "devstack/*", "search/config_declaration.yaml",
            "demo/files/*", "schemas/*.yaml", "schemas/*.json", "schemas/*.ttl", "schemas/pages/*.md",
            "schemas/vocabularies/*.yaml", "schemas/vocabularies/inventar/*.yaml",
        ],
    },
    include_package_data=True,
)
