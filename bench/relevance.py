"""Search relevance on the demo catalogue: does a citizen's query find what the city has?

    .venv/bin/python bench/relevance.py            # fresh demo database, seed, measure
    .venv/bin/python bench/relevance.py --reuse    # keep the seeded database, re-index, measure

The catalogue is ``make demo``'s: the city's 15 demo datasets
(``ckanext/hamm/demo/content.yaml``) plus the 150 the fake opendata.ruhr
serves and the demo harvests (``ckanext/hamm/demo/fake_rvr.py``: 20 topics, each a series
by Stadtbezirk or year such as "Straßenbäume im Stadtbezirk Heessen"). It lives in its own database
(``hamm_relevance``) on the embedded PostgreSQL, never the portal's.

Every query in ``QUERIES`` was judged by reading that seed data: ``must`` are
the datasets a citizen typing the query expects (own datasets by name,
harvested ones by topic); ``best`` (default: ``must``) are the ones the first
relevant hit must be among. The bench searches as the ``/dataset`` page does
(``ckanext.hamm.helpers.search.page_names``: German, or English for the ``en``
class, including the "Meinten Sie …?" correction a zero-hit page offers) and
prints per query class recall@10 (share of ``must`` in the first ten, out of at most ten),
MRR (1 / rank of the first ``best`` hit), precision@10 (relevant share of the first page, which
holds up to ten), nDCG@10 on graded judgements (``ALSO``) and the relevant share of the whole hit
count (what the count on ``/dataset`` promises). ``--measure-with DIR`` measures the code of
another checkout (e.g. ``git archive`` of an older commit) on the same seeded catalogue.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
_OTHER_CODE = os.environ.get("HAMM_RELEVANCE_CODE")  # --measure-with: that checkout's ckanext.hamm
if _OTHER_CODE:
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
    sys.path.insert(0, _OTHER_CODE)
    import ckanext  # a namespace package that the installed CKAN extensions have already set up

    ckanext.__path__.insert(0, str(Path(_OTHER_CODE) / "ckanext"))

DATABASE = "hamm_relevance"


def harvested(*topics: str) -> list[str]:
    """Judged by topic: every harvested dataset of these fake-RVR topics."""
    return [f"topic:{t}" for t in topics]


# (class, query, must, best). Own datasets by name, harvested ones by topic.
QUERIES: list[tuple[str, str, list[str], list[str] | None]] = [
    # everyday words: what people call the things
    ("alltag", "Bäume", ["baumkataster", *harvested("Straßenbäume")], None),
    ("alltag", "Luft", ["luftqualitaet-messstationen", *harvested("Luftqualität")], ["luftqualitaet-messstationen"]),
    ("alltag", "Toiletten", harvested("Öffentliche Toiletten"), None),
    ("alltag", "Parken", harvested("Parkplätze"), None),
    ("alltag", "Wahl", ["wahlergebnisse-kommunalwahl-2025", *harvested("Wahlergebnisse")],
     ["wahlergebnisse-kommunalwahl-2025"]),
    ("alltag", "Einwohner", ["bevoelkerung-stadtbezirke"], None),
    ("alltag", "Hitze", ["kuehle-orte"], None),
    ("alltag", "Lärm", ["laermkartierung", *harvested("Lärmkarte")], ["laermkartierung"]),
    ("alltag", "Spielplatz", harvested("Spielplätze"), None),
    ("alltag", "Bänke", harvested("Smarte Bänke"), None),
    ("alltag", "Internet", ["wlan-hotspots"], None),
    ("alltag", "Bücherei", harvested("Bibliotheken"), None),
    # singular and plural of what titles say
    ("plural", "Ladesäule", ["ladesaeulen-e-mobilitaet"], None),
    ("plural", "Schule", ["kitas-und-schulen", *harvested("Schulen")], None),
    ("plural", "Friedhof", harvested("Friedhöfe"), None),
    ("plural", "Spielplätze", harvested("Spielplätze"), None),
    ("plural", "Baustelle", harvested("Baustellen"), None),
    ("plural", "Bibliothek", harvested("Bibliotheken"), None),
    ("plural", "Haltestelle", harvested("Haltestellen"), None),
    ("plural", "Parkplatz", harvested("Parkplätze"), None),
    ("plural", "Bebauungsplan", ["bebauungsplaene"], None),
    ("plural", "Wahlergebnis", ["wahlergebnisse-kommunalwahl-2025", *harvested("Wahlergebnisse")], None),
    ("plural", "Grünfläche", ["gruenflaechen", *harvested("Grünflächen")], None),
    ("plural", "Sportstätte", harvested("Sportstätten"), None),
    ("plural", "Toilette", harvested("Öffentliche Toiletten"), None),
    # a word that is part of a compound in the catalogue
    ("teilwort", "Rad", ["radverkehrszaehlung", *harvested("Fahrradständer")], None),
    ("teilwort", "Baum", ["baumkataster", *harvested("Straßenbäume")], None),
    ("teilwort", "Qualität", ["luftqualitaet-messstationen", *harvested("Luftqualität")], None),
    ("teilwort", "Säulen", ["ladesaeulen-e-mobilitaet"], None),
    ("teilwort", "Termine", harvested("Müllabfuhr-Termine"), None),
    ("teilwort", "Stätten", harvested("Sportstätten", "Kindertagesstätten"), None),
    ("teilwort", "Wege", ["laermkartierung"], None),
    ("teilwort", "Kataster", ["baumkataster", "solarpotenzial-dachflaechen"], None),
    ("teilwort", "Zählung", ["radverkehrszaehlung", "verkehrszaehlungen-kfz"], None),
    ("teilwort", "Gewerbe", harvested("Gewerbeflächen"), None),
    ("teilwort", "Stationen", ["luftqualitaet-messstationen"], None),
    ("teilwort", "Müll", harvested("Müllabfuhr-Termine"), None),
    # a compound that the catalogue spells otherwise (shares a part)
    ("kompositum", "Radwege", ["radverkehrszaehlung", *harvested("Fahrradständer")], None),
    ("kompositum", "Radweg", ["radverkehrszaehlung", *harvested("Fahrradständer")], None),
    ("kompositum", "Stadtbäume", ["baumkataster", *harvested("Straßenbäume")], None),
    ("kompositum", "Luftmessung", ["luftqualitaet-messstationen"], None),
    ("kompositum", "Fahrradparken", harvested("Fahrradständer"), None),
    ("kompositum", "Schulstandorte", ["kitas-und-schulen", *harvested("Schulen")], ["kitas-und-schulen"]),
    ("kompositum", "Lärmschutz", ["laermkartierung", *harvested("Lärmkarte")], None),
    ("kompositum", "Müllabfuhr", harvested("Müllabfuhr-Termine"), None),
    ("kompositum", "Ladestationen", ["ladesaeulen-e-mobilitaet"], None),
    ("kompositum", "Solaranlagen", ["solarpotenzial-dachflaechen"], None),
    ("kompositum", "Bevölkerungszahlen", ["bevoelkerung-stadtbezirke", *harvested("Bevölkerung nach Stadtbezirken")],
     ["bevoelkerung-stadtbezirke"]),
    ("kompositum", "Wahlbezirke", ["wahlergebnisse-kommunalwahl-2025"], None),
    # abbreviations and other words for the same thing (schemas/search_synonyms.yaml)
    ("synonym", "Kita", ["kitas-und-schulen", *harvested("Kindertagesstätten")], None),
    ("synonym", "KiTa", ["kitas-und-schulen", *harvested("Kindertagesstätten")], None),
    ("synonym", "Kindertagesstätte", ["kitas-und-schulen", *harvested("Kindertagesstätten")], None),
    ("synonym", "U3", ["kitas-und-schulen", *harvested("Kindertagesstätten")], None),
    ("synonym", "ÖPNV", harvested("Haltestellen"), None),
    ("synonym", "Bus", harvested("Haltestellen"), None),
    ("synonym", "E-Auto", ["ladesaeulen-e-mobilitaet"], None),
    ("synonym", "Abfall", harvested("Müllabfuhr-Termine"), None),
    ("synonym", "Fahrrad", ["radverkehrszaehlung", *harvested("Fahrradständer")], None),
    ("synonym", "WiFi", ["wlan-hotspots"], None),
    ("synonym", "B-Plan", ["bebauungsplaene"], None),
    ("synonym", "Auto", ["verkehrszaehlungen-kfz", "ladesaeulen-e-mobilitaet"], None),
    ("synonym", "WC", harvested("Öffentliche Toiletten"), None),
    ("synonym", "Photovoltaik", ["solarpotenzial-dachflaechen"], None),
    ("synonym", "NO2", ["luftqualitaet-messstationen"], None),
    # typing errors (zero hits; the page offers "Meinten Sie …?")
    ("tippfehler", "Bevölkrung", ["bevoelkerung-stadtbezirke", *harvested("Bevölkerung nach Stadtbezirken")],
     ["bevoelkerung-stadtbezirke"]),
    ("tippfehler", "Luftqualtät", ["luftqualitaet-messstationen", *harvested("Luftqualität")],
     ["luftqualitaet-messstationen"]),
    ("tippfehler", "Spielplaetz", harvested("Spielplätze"), None),
    ("tippfehler", "Bibliotek", harvested("Bibliotheken"), None),
    ("tippfehler", "Haltstellen", harvested("Haltestellen"), None),
    ("tippfehler", "Baumkatster", ["baumkataster"], None),
    ("tippfehler", "Friedhofe", harvested("Friedhöfe"), None),
    ("tippfehler", "Ladesälen", ["ladesaeulen-e-mobilitaet"], None),
    ("tippfehler", "Wahlergebnise", ["wahlergebnisse-kommunalwahl-2025", *harvested("Wahlergebnisse")],
     ["wahlergebnisse-kommunalwahl-2025"]),
    ("tippfehler", "Strassenverzeichniss", ["strassenverzeichnis"], None),
    # umlauts and ß typed without the keys
    ("umlaut", "Luftqualitaet", ["luftqualitaet-messstationen", *harvested("Luftqualität")],
     ["luftqualitaet-messstationen"]),
    ("umlaut", "Strassenbaeume", harvested("Straßenbäume"), None),
    ("umlaut", "Gruenflaechen", ["gruenflaechen", *harvested("Grünflächen")], ["gruenflaechen"]),
    ("umlaut", "Grunflachen", ["gruenflaechen", *harvested("Grünflächen")], ["gruenflaechen"]),
    ("umlaut", "Laerm", ["laermkartierung", *harvested("Lärmkarte")], ["laermkartierung"]),
    ("umlaut", "Bevoelkerung", ["bevoelkerung-stadtbezirke", *harvested("Bevölkerung nach Stadtbezirken")],
     ["bevoelkerung-stadtbezirke"]),
    ("umlaut", "Muell", harvested("Müllabfuhr-Termine"), None),
    ("umlaut", "Spielplaetze", harvested("Spielplätze"), None),
    ("umlaut", "Friedhoefe", harvested("Friedhöfe"), None),
    ("umlaut", "Kuehle Orte", ["kuehle-orte"], None),
    ("umlaut", "Oeffentliche Toiletten", harvested("Öffentliche Toiletten"), None),
    ("umlaut", "Strassen", ["strassenverzeichnis"], None),
    # English words on /en
    ("en", "trees", ["baumkataster", *harvested("Straßenbäume")], None),
    ("en", "air quality", ["luftqualitaet-messstationen", *harvested("Luftqualität")], ["luftqualitaet-messstationen"]),
    ("en", "population", ["bevoelkerung-stadtbezirke", *harvested("Bevölkerung nach Stadtbezirken")],
     ["bevoelkerung-stadtbezirke"]),
    ("en", "election results", ["wahlergebnisse-kommunalwahl-2025", *harvested("Wahlergebnisse")],
     ["wahlergebnisse-kommunalwahl-2025"]),
    ("en", "schools", ["kitas-und-schulen", *harvested("Schulen")], None),
    ("en", "playgrounds", harvested("Spielplätze"), None),
    ("en", "cemetery", harvested("Friedhöfe"), None),
    ("en", "library", harvested("Bibliotheken"), None),
    ("en", "public toilets", harvested("Öffentliche Toiletten"), None),
    ("en", "bus stops", harvested("Haltestellen"), None),
    ("en", "charging stations", ["ladesaeulen-e-mobilitaet"], None),
    ("en", "noise", ["laermkartierung", *harvested("Lärmkarte")], ["laermkartierung"]),
    ("en", "cycling", ["radverkehrszaehlung", *harvested("Fahrradständer")], None),
    ("en", "day care", ["kitas-und-schulen", *harvested("Kindertagesstätten")], None),
    ("en", "green spaces", ["gruenflaechen", *harvested("Grünflächen")], ["gruenflaechen"]),
    ("en", "mobility", ["ladesaeulen-e-mobilitaet", "radverkehrszaehlung", "verkehrszaehlungen-kfz"], None),
    ("en", "construction sites", harvested("Baustellen"), None),
    ("en", "waste collection", harvested("Müllabfuhr-Termine"), None),
]
CLASSES = ["alltag", "plural", "teilwort", "kompositum", "synonym", "tippfehler", "umlaut", "en"]

# Graded relevance (0–3) of every hit: 3 the ``best`` datasets, 2 the other ``must`` ones, 1 those a
# citizen would not mind (``ALSO``: they are about a neighbouring thing the query names), 0 the rest.
ALSO: dict[str, list[str]] = {
    "Spielplatz": ["gruenflaechen"],
    "Spielplätze": ["gruenflaechen"],
    "Parken": harvested("Fahrradständer"),
    "Parkplatz": harvested("Fahrradständer"),
    "Schule": harvested("Kindertagesstätten"),
    "Bäume": harvested("Grünflächen"),
    "Baum": harvested("Grünflächen"),
    "Stadtbäume": harvested("Grünflächen"),
    "Auto": harvested("Parkplätze"),
    "Fahrrad": harvested("Fahrradständer"),
    "Luft": ["kuehle-orte"],
    "Hitze": harvested("Grünflächen"),
    "Wahl": harvested("Wahlergebnisse"),
    "Kita": harvested("Schulen"),
    "Einwohner": harvested("Bevölkerung nach Stadtbezirken"),
    "mobility": harvested("Fahrradständer", "Parkplätze", "Haltestellen"),
    "Wahlbezirke": harvested("Wahlergebnisse"),
    "Kataster": harvested("Straßenbäume", "Grünflächen"),
}


def _ckan(ini: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", str(ini), *args],
                   check=True, env=env, stdout=subprocess.DEVNULL, timeout=1800)


def prepare(workdir: Path, reuse: bool) -> tuple[Path, dict[str, str]]:
    """The demo catalogue in ``hamm_relevance``: seeded afresh, or re-indexed with ``--reuse``."""
    from ckanext.hamm import devstack

    state = devstack.default_state(REPO)
    services = devstack.services(state, "postgres")
    server = devstack.postgres_url(state)
    if not reuse:
        import psycopg2

        admin = psycopg2.connect(devstack.with_database(server, "postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}_datastore" WITH (FORCE)')
        admin.close()
    db_url = devstack.ensure_database(server, DATABASE)
    devstack.ensure_datastore(server, DATABASE)  # the previews' DataStore plugin is part of the stack
    bench_state = devstack.State(workdir)
    redis = services["CKAN_REDIS_URL"].rsplit("/", 1)[0] + "/8"
    ini = devstack.write_config(bench_state, db_url, redis, "http://127.0.0.1:5999")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    if reuse:
        _ckan(ini, "search-index", "rebuild", "-q", env=env)
    else:
        _ckan(ini, "db", "init", env=env)
        _ckan(ini, "hamm", "demo", "seed", "--with-rvr", env=env)
    return ini, env


def harvested_titles(topic: str, count: int = 150) -> set[str]:
    """The titles of the fake RVR's records of one topic, as ``make demo`` harvests them."""
    from ckanext.hamm.demo.fake_rvr import make_dataset, topic_of

    return {make_dataset(n)["title"] for n in range(count) if topic_of(n).name == topic}


def _judged(must: list[str], titles: dict[str, str]) -> set[str]:
    out: set[str] = set()
    for entry in must:
        if entry.startswith("topic:"):
            of_topic = harvested_titles(entry[len("topic:"):])
            found = {name for name, title in titles.items() if title in of_topic}
            if not found:
                raise SystemExit(f"no harvested dataset of topic {entry!r}: is the demo harvested?")
            out |= found
        elif entry not in titles:
            raise SystemExit(f"unknown dataset {entry!r} in the judged set")
        else:
            out.add(entry)
    return out


def measure(ini: Path) -> dict[str, Any]:
    """In a child process: load CKAN once, run every query as the /dataset page does."""
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    from ckanext.hamm.helpers import search as search_page

    app = make_app(load_config(str(ini)))
    titles = dict(model.Session.query(model.Package.name, model.Package.title)
                  .filter(model.Package.state == "active", model.Package.type == "dataset").all())
    per_query = []
    for klass, query, must, best in QUERIES:
        wanted = _judged(must, titles)
        first = _judged(best, titles) if best else wanted
        grades = {**dict.fromkeys(_judged(ALSO[query], titles) if ALSO.get(query) else (), 1),
                  **dict.fromkeys(wanted, 2), **dict.fromkeys(first, 3)}
        lang = "en" if klass == "en" else "de"
        with app._wsgi_app.test_request_context(f"/{lang}/dataset/"):
            hits = search_page.page_names(query, rows=1000)
        names = hits[:10]
        found = len(wanted & set(names)) / min(len(wanted), 10)
        rank = next((i + 1 for i, n in enumerate(names) if n in first), None)
        relevant = [n for n in hits if grades.get(n, 0) > 0]
        per_query.append({"class": klass, "q": query, "recall": found, "rr": 1 / rank if rank else 0.0,
                          "precision": sum(1 for n in names if grades.get(n, 0) > 0) / len(names) if names else 0.0,
                          "ndcg": ndcg([grades.get(n, 0) for n in names], sorted(grades.values(), reverse=True)),
                          "share": len(relevant) / len(hits) if hits else 0.0, "hits": len(hits),
                          "noise": [n for n in hits if not grades.get(n)][:5], "top": names[:3]})
    return {"queries": per_query}


def ndcg(gains: list[int], ideal: list[int], k: int = 10) -> float:
    """nDCG@k with gain 2^grade − 1 (1.0 when the first page is ordered as well as it can be)."""
    def dcg(values: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(ideal)
    return dcg(gains) / best if best else 0.0


METRICS = (("recall", "recall@10"), ("rr", "MRR"), ("precision", "precision@10"), ("ndcg", "nDCG@10"),
           ("share", "relevant share of hits"), ("hits", "hits (mean)"))


def print_table(result: dict[str, Any], verbose: bool) -> None:
    rows = result["queries"]
    print("\n| class | queries | " + " | ".join(label for _, label in METRICS) + " |")
    print("|---|---:|" + "---:|" * len(METRICS))
    for klass in [*CLASSES, None]:
        mine = [r for r in rows if klass is None or r["class"] == klass]
        cells = " | ".join(f"{statistics.mean(r[key] for r in mine):.{1 if key == 'hits' else 2}f}"
                           for key, _ in METRICS)
        print(f"| {klass or '**all**'} | {len(mine)} | {cells} |")
    if verbose:
        print("\nqueries below recall 1, reciprocal rank 1 or a relevant share of 0.8:")
        for r in rows:
            if r["recall"] < 1 or r["rr"] < 1 or r["share"] < 0.8:
                print(f"  [{r['class']}] {r['q']!r}: recall {r['recall']:.2f}, rr {r['rr']:.2f}, "
                      f"share {r['share']:.2f} of {r['hits']}, top {r['top']}, noise {r['noise']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database (re-index only)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the queries that miss")
    parser.add_argument("--measure-with", type=Path, help="measure the ckanext.hamm of this checkout as well")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return
    with tempfile.TemporaryDirectory(prefix="hamm-relevance-") as tmp:
        ini, env = prepare(Path(tmp), args.reuse)
        runs = [("this checkout", env)]
        if args.measure_with:
            runs.insert(0, (str(args.measure_with), {**env, "HAMM_RELEVANCE_CODE": str(args.measure_with.resolve())}))
        for label, run_env in runs:
            child = subprocess.run([sys.executable, __file__, "--measure", str(ini)], check=True, env=run_env,
                                   stdout=subprocess.PIPE, text=True)
            print(f"\n## {label}")
            print_table(json.loads(child.stdout.strip().splitlines()[-1]), args.verbose)


if __name__ == "__main__":
    main()
