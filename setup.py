"""Packaging lives in pyproject.toml; this file only maps the top-level
``schemas/`` folder (the city's data) to the ``ckanext.hamm.schemas`` package."""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["ckanext.*"], exclude=["ckanext.hamm.schemas*"])
    + ["ckanext.hamm.schemas", "ckanext.hamm.schemas.pages", "ckanext.hamm.schemas.vocabularies",
       "ckanext.hamm.schemas.vocabularies.inventar"],
    package_dir={"ckanext.hamm.schemas": "schemas"},
    package_data={
        "ckanext.hamm": [
            "config_declaration.yaml", "templates/**/*", "public/**/*", "assets/**/*",
            "i18n/**/*", "migration/**/*", "devstack/*", "search/config_declaration.yaml",
            "demo/files/*",
        ],
        "ckanext.hamm.schemas": ["*.yaml", "*.json", "*.ttl"],
        "ckanext.hamm.schemas.pages": ["*.md"],
        "ckanext.hamm.schemas.vocabularies": ["*.yaml"],
        "ckanext.hamm.schemas.vocabularies.inventar": ["*.yaml"],
    },
    include_package_data=True,
)
