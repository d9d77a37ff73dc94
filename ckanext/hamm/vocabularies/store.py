"""The city's vocabularies (Handlungsfeld, Zielgruppe, Persona) and the EU lists.

The vocabularies are data the city edits (``schemas/vocabularies/*.yaml``, or the
folder named by ``ckanext.hamm.vocabulary.directory``), so everything that needs
a concept — validators, form choices, facets, the API, the SKOS views — asks this
module. Files are re-read when they change: a new concept needs no code change
and no restart.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import yaml

import ckanext.hamm.schemas as _schemas
from ckanext.hamm import config

LANGUAGES: tuple[str, ...] = ("de", "en")
SCHEMAS = Path(_schemas.__file__).resolve().parent
EU_LISTS = SCHEMAS / "eu-vocabularies.yaml"
# Fields of a persona besides id/label/description, kept as given in the YAML.
PERSONA_FIELDS: tuple[str, ...] = ("name", "story", "interests", "challenges", "data_needs",
                                   "handlungsfelder", "zielgruppen")


@dataclasses.dataclass(frozen=True)
class Concept:
    """One concept; ``label``/``description`` map a language code to text."""

    id: str
    uri: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def text(self, what: str, lang: str) -> str:
        return localise(getattr(self, what), lang) or self.id


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """A SKOS concept scheme: the file's header fields and its concepts in file order."""

    id: str
    uri: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    concepts: tuple[Concept, ...]

    def ids(self) -> list[str]:
        return [c.id for c in self.concepts]

    def get(self, concept_id: str) -> Optional[Concept]:
        return next((c for c in self.concepts if c.id == concept_id), None)


def localise(texts: Any, lang: str) -> Any:
    """Pick ``lang`` from ``{de: …, en: …}``, falling back to German, then to any language."""
    if not isinstance(texts, Mapping):
        return texts
    for key in (lang, (lang or "").split("_")[0], "de", "en"):
        if key in texts and texts[key] not in (None, ""):
            return texts[key]
    return next(iter(texts.values()), "")


def current_language() -> str:
    """The request's language (``de``/``en``), or the site default outside a request."""
    import flask

    lang = ""
    if flask.has_request_context():
        from ckan.lib.i18n import get_lang

        lang = get_lang() or ""
    lang = (lang or config.default_locale()).split("_")[0]
    return lang if lang in LANGUAGES else "de"


def directory() -> Path:
    configured = config.vocabulary_directory()
    if configured:
        return Path(configured)
    return SCHEMAS / "vocabularies"


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if v is not None}
    return {"de": str(value)} if value else {}


def parse_vocabulary(raw: Mapping[str, Any], stem: str, base: str) -> Vocabulary:
    """One vocabulary file's content (also the inventory's lists in their own folder)."""
    vocab_id = str(raw.get("id") or stem)
    scheme_uri = str(raw.get("uri") or f"{base}/vocab/{vocab_id}")
    concepts = []
    for item in raw.get("concepts") or []:
        if not isinstance(item, Mapping) or not item.get("id"):
            continue
        concept_id = str(item["id"])
        extra = {k: v for k, v in item.items() if k not in ("id", "uri", "label", "description")}
        concepts.append(Concept(
            id=concept_id,
            uri=str(item.get("uri") or f"{scheme_uri}/{concept_id}"),
            label=_texts(item.get("label")) or {"de": concept_id},
            description=_texts(item.get("description")),
            extra=extra,
        ))
    return Vocabulary(vocab_id, scheme_uri, _texts(raw.get("label")) or {"de": vocab_id},
                      _texts(raw.get("description")), tuple(concepts))


@functools.lru_cache(maxsize=32)
def _load(folder: str, stamp: tuple[tuple[str, float], ...], base: str) -> dict[str, Vocabulary]:
    result: dict[str, Vocabulary] = {}
    for name, _mtime in stamp:
        path = Path(folder) / name
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        vocab = parse_vocabulary(raw, path.stem, base)
        result[vocab.id] = vocab
    return result


def stamp() -> tuple[tuple[str, float], ...]:
    """Name and modification time of each vocabulary file: changes when the city edits one."""
    folder = directory()
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return tuple((p.name, p.stat().st_mtime) for p in files)


def vocabularies() -> dict[str, Vocabulary]:
    """All vocabularies of the configured folder, keyed by id, cached until a file changes."""
    return _load(str(directory()), stamp(), config.portal_base_uri().rstrip("/"))


@functools.lru_cache(maxsize=8)
def _read_yaml(path: str, mtime: float) -> Any:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def read_yaml_when_changed(path: Path) -> Any:
    """Other city data files (search synonyms) with the same rule: read again when they change."""
    return _read_yaml(str(path), path.stat().st_mtime) if path.is_file() else None


def get_vocabulary(vocab_id: str) -> Vocabulary:
    """The vocabulary ``vocab_id``; ``KeyError`` when the city has no such file."""
    return vocabularies()[vocab_id]


def concept_ids(vocab_id: str) -> list[str]:
    try:
        return get_vocabulary(vocab_id).ids()
    except KeyError:
        return []


def concept_label(vocab_id: str, concept_id: str, lang: Optional[str] = None) -> str:
    """The concept's label in ``lang`` (default: current), or the id when unknown."""
    try:
        found = get_vocabulary(vocab_id).get(concept_id)
    except KeyError:
        found = None
    return found.text("label", lang or current_language()) if found else concept_id


def all_labels(vocab_id: str, concept_ids_: Iterable[str]) -> list[str]:
    """German and English labels of the given concepts (for the free-text index)."""
    out: list[str] = []
    try:
        vocab = get_vocabulary(vocab_id)
    except KeyError:
        return out
    for concept_id in concept_ids_:
        found = vocab.get(concept_id)
        if found:
            out.extend(v for v in found.label.values() if v not in out)
    return out


# --- EU controlled lists (data-theme, frequency, planned-availability) ----------------

@functools.lru_cache(maxsize=1)
def _eu_lists() -> dict[str, Any]:
    return yaml.safe_load(EU_LISTS.read_text(encoding="utf-8"))


def eu_concepts(list_id: str) -> list[tuple[str, Mapping[str, str]]]:
    """``[(uri, {de: …, en: …}), …]`` of an EU list in the file's order."""
    entry = _eu_lists()[list_id]
    return [(entry["base"] + code, labels) for code, labels in entry["concepts"].items()]


def eu_uris(list_id: str) -> list[str]:
    return [uri for uri, _ in eu_concepts(list_id)]


def eu_label(list_id: str, uri: str, lang: Optional[str] = None) -> str:
    for known, labels in eu_concepts(list_id):
        if known == uri:
            return localise(labels, lang or current_language())
    return uri


def eu_code(uri: str) -> str:
    """``…/data-theme/ENVI`` → ``ENVI`` (the value the ``vocab_theme`` facet indexes)."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def theme_uri(code: str) -> str:
    return _eu_lists()["data-theme"]["base"] + code
