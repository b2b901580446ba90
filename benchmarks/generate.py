"""Write a valid synthetic dataset of N people, for benchmarks and tests.

    python benchmarks/generate.py --people 100000 --out /tmp/defect-100k
    python benchmarks/generate.py --people 100000 --layout file --out /tmp/defect-100k.yaml

The default layout is a folder like ``data/`` (one file a person); ``--layout file`` writes
the whole dataset as one file (``people:`` and ``sources:``), as a generated collection
often comes.

Everything in it is made up and labelled so (names are "Synthetic ..."): it exists to measure
speed at scale, never to be read as facts. Field sizes follow the bundled data: a summary of a
sentence or two, one to three postings, three quotations of thirty-odd words each, a handful of
sources per record, a claim on one record in five, a spread of countries and years.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

COUNTRIES = [
    "China", "Russia", "Italy", "Kuwait", "Cuba", "France", "United Kingdom", "Egypt",
    "Ethiopia", "Thailand", "Vietnam", "Zambia", "Congo", "Syria", "Germany", "Sweden",
    "Denmark", "Mexico", "Libya", "Japan",
]  # fmt: skip
DESTINATIONS = ["South Korea"] * 8 + ["United States", "Unknown"]
SURNAMES = ["Kim", "Ri", "Pak", "Choe", "Jo", "Ryu", "Thae", "Han", "Hong", "Jang", "O", "Hwang"]
SYLLABLES = ["song", "il", "gyu", "yong", "ho", "chol", "min", "hyun", "woo", "jin", "myong",
             "hye", "son", "gil", "dok", "kyong", "nam", "su", "ok", "chun"]  # fmt: skip
HANGUL = "김리박최조류태한홍장오황성일규영호철민현우진명혜선길덕경남수옥춘"
TITLES = ["Third secretary", "First secretary", "Counselor", "Minister", "Acting ambassador",
          "Trade representative", "Attaché"]  # fmt: skip
CITIES = {"China": "Beijing", "Russia": "Moscow", "Italy": "Rome", "Cuba": "Havana",
          "France": "Paris", "United Kingdom": "London", "Egypt": "Cairo"}  # fmt: skip
WORDS = (
    "we could not speak of it at home because it was forbidden so we read everything "
    "about those who had left and we learned how the world works banking finance traffic "
    "rules the regime freedom children future embassy diplomats money ties beggars "
    "sanctions pandemic borders pressure loyalty funds decision family escape"
).split()
KINDS = ["news", "broadcast", "interview", "book", "report"]
OUTLETS = ["Synthetic Times", "Synthetic Broadcasting", "Synthetic Daily", "Synthetic Review"]


def _date(rng: random.Random, year: int) -> str:
    precision = rng.random()
    if precision < 0.2:
        return f"{year}"
    if precision < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def person(index: int, rng: random.Random, source_ids: list[str]) -> dict[str, object]:
    surname = rng.choice(SURNAMES)
    given = "-".join(rng.sample(SYLLABLES, 2))
    name = f"{surname} {given.capitalize()}"
    pid = f"synthetic-{index:06d}"
    country = rng.choice(COUNTRIES)
    year = rng.randint(1990, 2025)
    cited = rng.sample(source_ids, k=min(3, len(source_ids)))
    postings = []
    for n in range(rng.randint(1, 3)):
        start = year - 3 * (n + 1)
        postings.append(
            {
                "country": country if n == 0 else rng.choice(COUNTRIES),
                "city": CITIES.get(country, "Capital"),
                "title": rng.choice(TITLES),
                "start": f"{start}",
                "end": f"{start + 2}",
                "sources": cited[:1],
            }
        )
    record: dict[str, object] = {
        "id": pid,
        "name": f"Synthetic {name} {index}",
        "hangul": "".join(rng.choice(HANGUL) for _ in range(3)),
        "aliases": [
            {
                "name": f"{surname} {given.replace('-', ' ')} {index}",
                "kind": "romanization",
                "sources": cited[:1],
            }
        ],
        "category": rng.choice(["diplomat"] * 6 + ["official", "family", "other"]),
        "summary": _sentence(rng, 30),
        "postings": postings,
        "defection": {
            "country": country,
            "post": f"{postings[0]['title']}, {postings[0]['city']}",
            "left": {"date": _date(rng, year), "sources": cited[:1]},
            "arrived": {
                "date": _date(rng, min(year + rng.randint(0, 1), 2025)),
                "sources": cited[1:2] or cited,
            },
            "destination": rng.choice(DESTINATIONS),
            "sources": cited,
        },
        "disclosure": {
            "date": _date(rng, min(year + 1, 2025)),
            "how": _sentence(rng, 10),
            "sources": cited[:1],
        },
        "confirmation": {
            "status": rng.choice(["official", "press", "unknown"]),
            "sources": cited[:1],
        },
        # From the confirmation and the index, not the generator: the other values stay
        # those of earlier versions. One in forty is a denied report.
        "status": {
            "value": "denied" if index % 40 == 7 else "reported",
            "sources": cited[:1],
        },
        "quotes": [
            {
                "id": f"{pid}-q{q}",
                "text": _sentence(rng, rng.randint(25, 40)),
                "date": _date(rng, min(year + 1, 2025)),
                "venue": f"{rng.choice(OUTLETS)} interview",
                "source": rng.choice(cited),
            }
            for q in range(3)
        ],
        "sources": cited,
    }
    if index % 5 == 0:
        record["claims"] = [
            {"field": "defection.year", "value": year, "sources": cited[:1]},
            {"field": "defection.year", "value": year + 1, "sources": cited[1:2] or cited},
        ]
    if record["confirmation"]["status"] == "official":  # type: ignore[index]
        record["status"]["value"] = "confirmed"  # type: ignore[index]
    return record


def generate(
    people: int, out: Path, seed: int = 1, fmt: str = "yaml", layout: str = "folder"
) -> None:
    """Write ``people`` synthetic people (and their sources) under ``out`` (a folder), or
    with ``layout="file"`` into the one file ``out``."""
    import yaml

    rng = random.Random(seed)
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class dumper(base):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data: object) -> bool:
            return True  # data files never use anchors (the loader refuses them)

    n_sources = max(3, people // 10)
    sources = [
        {
            "id": f"synthetic-source-{i:06d}",
            "kind": rng.choice(KINDS),
            "outlet": rng.choice(OUTLETS),
            "title": _sentence(rng, 8),
            "date": _date(rng, rng.randint(1990, 2025)),
            "url": f"https://example.invalid/{i}",
            "language": "en",
        }
        for i in range(n_sources)
    ]
    ids = [s["id"] for s in sources]
    schema = "../../schema/{}.schema.json"  # relative to a folder beside data/; informative only

    def write(path: Path, kind: str, data: object) -> None:
        if fmt == "json":
            path.with_suffix(".json").write_text(
                json.dumps(data, ensure_ascii=False), encoding="utf-8"
            )
        else:
            header = f"# yaml-language-server: $schema={schema.format(kind)}\n"
            body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
            path.with_suffix(".yaml").write_text(header + body, encoding="utf-8")

    if layout == "file":
        out.parent.mkdir(parents=True, exist_ok=True)
        everyone = [person(index, rng, ids) for index in range(people)]
        write(out.with_suffix(""), "dataset", {"people": everyone, "sources": sources})
        return
    (out / "people").mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    write(out / "sources" / "synthetic", "sources", {"sources": sources})
    for index in range(people):
        write(out / "people" / f"synthetic-{index:06d}", "person", person(index, rng, ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True, help="how many people")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
    parser.add_argument(
        "--layout", choices=["folder", "file"], default="folder", help="one file a person, or one"
    )
    args = parser.parse_args()
    generate(args.people, args.out, args.seed, args.format, args.layout)


if __name__ == "__main__":
    main()
