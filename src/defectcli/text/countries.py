"""Country names as people type them: short forms, ISO codes and Korean names.

``--country uk``, ``Britain``, ``GB`` and ``영국`` all mean the ``United Kingdom``, the
common English short name the dataset uses. A name not listed here is taken as it is.
"""

from __future__ import annotations

from functools import lru_cache

from .names import name_key

# Canonical name -> other ways to write it (ISO 3166 alpha-2 and alpha-3 codes, short
# forms, Korean names). Matching ignores case, spaces and punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "United Kingdom": ("UK", "GB", "GBR", "Britain", "Great Britain", "England", "영국"),
    "United States": ("US", "USA", "America", "United States of America", "미국"),
    "South Korea": ("KR", "KOR", "ROK", "Republic of Korea", "Korea", "한국", "대한민국", "남한"),
    "North Korea": ("KP", "PRK", "DPRK", "북한", "조선"),
    "China": ("CN", "CHN", "PRC", "People's Republic of China", "중국"),
    "Russia": ("RU", "RUS", "Russian Federation", "러시아"),
    "Soviet Union": ("SU", "USSR", "소련"),
    "Italy": ("IT", "ITA", "Italia", "이탈리아"),
    "Kuwait": ("KW", "KWT", "쿠웨이트"),
    "Cuba": ("CU", "CUB", "쿠바"),
    "France": ("FR", "FRA", "프랑스"),
    "Egypt": ("EG", "EGY", "이집트"),
    "Ethiopia": ("ET", "ETH", "에티오피아"),
    "Thailand": ("TH", "THA", "태국"),
    "Vietnam": ("VN", "VNM", "Viet Nam", "베트남"),
    "Zambia": ("ZM", "ZMB", "잠비아"),
    "Congo": ("CG", "COG", "콩고"),
    "Syria": ("SY", "SYR", "시리아"),
    "Germany": ("DE", "DEU", "독일"),
    "Japan": ("JP", "JPN", "일본"),
    "Denmark": ("DK", "DNK", "덴마크"),
    "Sweden": ("SE", "SWE", "스웨덴"),
    "Mexico": ("MX", "MEX", "멕시코"),
    "Panama": ("PA", "PAN", "파나마"),
    "Libya": ("LY", "LBY", "리비아"),
    "Hong Kong": ("HK", "HKG", "홍콩"),
    "Czech Republic": ("CZ", "CZE", "Czechia", "체코"),
}

# The key of every name and alias -> the key of its country's name.
_BY_KEY = {
    name_key(alias): name_key(name)
    for name, aliases in ALIASES.items()
    for alias in (name, *aliases)
}


@lru_cache(maxsize=4096)  # a few hundred countries, each stored for thousands of people
def country_key(text: str) -> str:
    """The key the index stores and filters compare: the same for every alias; a name not
    listed is its own ``name_key``."""
    key = name_key(text)
    return _BY_KEY.get(key, key)
