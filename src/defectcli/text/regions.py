"""The UN M49 geographic regions, and the country each region holds.

``--region Europe`` matches every posting in a country of Europe or of one of its
sub-regions (Eastern, Northern, Southern and Western Europe). A region is named as the UN
names it ("South-eastern Asia"), by a name people use for it ("Southeast Asia"), or by its
M49 code ("035"); case, spaces and punctuation are ignored.

The table, ``m49.tsv`` beside this module, is the United Nations Statistics Division's
"Standard country or area codes for statistical use (M49)",
https://unstats.un.org/unsd/methodology/m49/overview/, as its region, sub-region and
intermediate-region columns are shipped in the file "Countries & Territories Taxonomy MVP -
C&T Taxonomy.csv" of the MIT-licensed package hdx-python-country 4.2.5 (UN OCHA's
Humanitarian Data Exchange, PyPI, October 2026), read on 2026-12-06. Each country is listed
with its ISO 3166-1 alpha-2 and alpha-3 codes and the English names of that file, under the
smallest region that holds it; the regions above hold it too. The countries marked
deprecated there (the Netherlands Antilles) are left out; Antarctica has no region. The
common names (``COMMON_NAMES``) and the places of the countries that are gone
(``FORMER_COUNTRIES``) are this project's, not the UN's.

Loaded only by a command given ``--region`` (and by its completion): never at start-up.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from .countries import country_key
from .names import name_key

# Names people use for a region -> its M49 code. The Middle East is taken as the UN's
# Western Asia alone (Egypt, in Northern Africa, is not in it).
COMMON_NAMES: dict[str, str] = {
    "Southeast Asia": "035",
    "East Asia": "030",
    "South Asia": "034",
    "West Asia": "145",
    "Middle East": "145",
    "North Africa": "015",
    "East Africa": "014",
    "West Africa": "011",
    "Central Africa": "017",
    "Latin America": "419",
    "East Europe": "151",
    "West Europe": "155",
}

# Countries that no longer exist -> the region of the state that continued them (Russia,
# the Czech Republic, Serbia, Germany). The Soviet Union reached into Northern Europe and
# Central and Western Asia too, but the M49 codes never placed it; a posting in it is
# counted in Eastern Europe only.
FORMER_COUNTRIES: dict[str, str] = {
    "Soviet Union": "151",
    "Czechoslovakia": "151",
    "Yugoslavia": "039",
    "East Germany": "155",
    "West Germany": "155",
}


def region_name(text: str) -> str | None:
    """The UN's name of the region ``text`` names (a UN name, a common name or a code),
    or None when it names none."""
    key = name_key(text)
    code = _CODES.get(f"{int(key):03d}" if key.isdigit() else key)
    return None if code is None else REGIONS[code][0]


def region_names() -> tuple[str, ...]:
    """The UN names of the regions, each continent followed by its sub-regions."""
    return tuple(REGIONS[code][0] for code in _inside(None))


def parent_name(region: str) -> str | None:
    """The region one level up (``Europe`` for ``Eastern Europe``), None for a continent."""
    parent = REGIONS[_code(region)][1]
    return None if parent is None else REGIONS[parent][0]


def region_of(country: str) -> str | None:
    """The smallest region a country (any name or code ``countries`` knows) lies in, or
    None (``Unknown``, or a country the table does not hold)."""
    code = _COUNTRY_REGIONS.get(country_key(country))
    return None if code is None else REGIONS[code][0]


@lru_cache(maxsize=64)
def country_keys(region: str) -> frozenset[str]:
    """The ``country_key`` of every country in ``region`` and its sub-regions: every name
    and code of each, since the dataset may write any of them."""
    code = _code(region)
    inside = {code, *_inside(code)}
    return frozenset(key for key, leaf in _COUNTRY_REGIONS.items() if leaf in inside)


def _code(region: str) -> str:
    name = region_name(region)
    if name is None:
        raise ValueError(f"{region!r} is not a UN M49 region")
    return _CODES[name_key(name)]


def _inside(parent: str | None) -> list[str]:
    """The codes of the regions inside ``parent`` (all of them for None), each followed by
    the codes inside it."""
    subs = [code for code, (_, up) in REGIONS.items() if up == parent]
    return [inner for code in subs for inner in (code, *_inside(code))]


def _read_table() -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """The M49 table shipped beside this module (``m49.tsv``): the regions (code -> name and
    the code of the region one level up), and the code of the smallest region holding each
    country by the ``country_key`` of its every code and name (a former country's too)."""
    regions: dict[str, tuple[str, str | None]] = {}
    countries = {country_key(name): code for name, code in FORMER_COUNTRIES.items()}
    text = files(__package__).joinpath("m49.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, code, *rest = line.split("\t")
        if kind == "region":
            regions[code] = (rest[0], rest[1] or None)
        else:
            countries.update((country_key(name), code) for name in rest[0].split("|"))
    return regions, countries


REGIONS, _COUNTRY_REGIONS = _read_table()
# A region's code by its code, and by the ``name_key`` of its UN name or a common name.
_CODES = {
    **{code: code for code in REGIONS},
    **{name_key(name): code for code, (name, _) in REGIONS.items()},
    **{name_key(common): code for common, code in COMMON_NAMES.items()},
}
