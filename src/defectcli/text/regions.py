"""The UN M49 geographic regions, and the country each region holds.

``--region Europe`` matches every posting in a country of Europe or of one of its
sub-regions (Eastern, Northern, Southern and Western Europe). A region is named as the UN
names it ("South-eastern Asia"), by a name people use for it ("Southeast Asia"), or by its
M49 code ("035"); case, spaces and punctuation are ignored.

Source of the table below: the United Nations Statistics Division's "Standard country or
area codes for statistical use (M49)", https://unstats.un.org/unsd/methodology/m49/overview/,
as its region, sub-region and intermediate-region columns are shipped in the file
"Countries & Territories Taxonomy MVP - C&T Taxonomy.csv" of the MIT-licensed package
hdx-python-country 4.2.5 (UN OCHA's Humanitarian Data Exchange, PyPI, October 2026), read
on 2026-12-06. Each country is listed with its ISO 3166-1 alpha-2 and alpha-3 codes and the
English names of that file, under the smallest region that holds it; the regions above
hold it too. The countries marked deprecated there (the Netherlands Antilles) are left
out; Antarctica has no region. The common names (``COMMON_NAMES``) and the places of the
countries that are gone (``FORMER_COUNTRIES``) are this project's, not the UN's.

Loaded only by a command given ``--region`` (and by its completion): never at start-up.
"""

from __future__ import annotations

from functools import lru_cache

from .countries import country_key
from .names import name_key

# Names people use for a region -> its M49 code. The Middle East is taken as the UN's
# Western Asia alone (Egypt, in Northern Africa, is not in it).
COMMON_NAMES: dict[str, str] = {
    "Southeast Asia": "035",
    "South East Asia": "035",
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
    if key.isdigit():
        key = f"{int(key):03d}"
    return _by_key().get(key)


def region_names() -> tuple[str, ...]:
    """The UN names of the regions, each continent followed by its sub-regions."""

    def under(parent: str | None) -> list[str]:
        codes = [code for code, (_, up) in REGIONS.items() if up == parent]
        return [name for code in codes for name in (REGIONS[code][0], *under(code))]

    return tuple(under(None))


def parent_name(region: str) -> str | None:
    """The region one level up (``Europe`` for ``Eastern Europe``), None for a continent."""
    parent = REGIONS[_code(region)][1]
    return None if parent is None else REGIONS[parent][0]


def region_of(country: str) -> str | None:
    """The smallest region a country (any name or code ``countries`` knows) lies in, or
    None (``Unknown``, or a country the table does not hold)."""
    code = _country_regions().get(country_key(country))
    return None if code is None else REGIONS[code][0]


@lru_cache(maxsize=64)
def country_keys(region: str) -> frozenset[str]:
    """The ``country_key`` of every country in ``region`` and its sub-regions: every name
    and code of each, since the dataset may write any of them."""
    code = _code(region)
    return frozenset(key for key, leaf in _country_regions().items() if code in _ancestry(leaf))


def _code(region: str) -> str:
    name = region_name(region)
    if name is None:
        raise ValueError(f"{region!r} is not a UN M49 region")
    return next(code for code, (n, _) in REGIONS.items() if n == name)


def _ancestry(code: str) -> tuple[str, ...]:
    """``code`` and every region above it."""
    chain: list[str] = []
    at: str | None = code
    while at is not None:
        chain.append(at)
        at = REGIONS[at][1]
    return tuple(chain)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    found = {code: name for code, (name, _) in REGIONS.items()}
    for name, _ in REGIONS.values():
        found[name_key(name)] = name
    for common, code in COMMON_NAMES.items():
        found[name_key(common)] = REGIONS[code][0]
    return found


@lru_cache(maxsize=1)
def _country_regions() -> dict[str, str]:
    """``country_key`` -> the code of the smallest region holding the country."""
    found: dict[str, str] = {}
    for code, names in COUNTRIES:
        for name in names:
            found.setdefault(country_key(name), code)
    for name, code in FORMER_COUNTRIES.items():
        found.setdefault(country_key(name), code)
    return found


# The M49 regions: code -> (name, the code of the region one level up).
REGIONS: dict[str, tuple[str, str | None]] = {
    "002": ("Africa", None),
    "009": ("Oceania", None),
    "019": ("Americas", None),
    "142": ("Asia", None),
    "150": ("Europe", None),
    "015": ("Northern Africa", "002"),
    "202": ("Sub-Saharan Africa", "002"),
    "053": ("Australia and New Zealand", "009"),
    "054": ("Melanesia", "009"),
    "057": ("Micronesia", "009"),
    "061": ("Polynesia", "009"),
    "021": ("Northern America", "019"),
    "419": ("Latin America and the Caribbean", "019"),
    "030": ("Eastern Asia", "142"),
    "034": ("Southern Asia", "142"),
    "035": ("South-eastern Asia", "142"),
    "143": ("Central Asia", "142"),
    "145": ("Western Asia", "142"),
    "039": ("Southern Europe", "150"),
    "151": ("Eastern Europe", "150"),
    "154": ("Northern Europe", "150"),
    "155": ("Western Europe", "150"),
    "830": ("Channel Islands", "154"),
    "011": ("Western Africa", "202"),
    "014": ("Eastern Africa", "202"),
    "017": ("Middle Africa", "202"),
    "018": ("Southern Africa", "202"),
    "005": ("South America", "419"),
    "013": ("Central America", "419"),
    "029": ("Caribbean", "419"),
}

# The countries and areas: (the code of the smallest region holding it, its codes and names).
COUNTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("034", ("AF", "AFG", "Afghanistan")),
    ("039", ("AL", "ALB", "Albania")),
    ("015", ("DZ", "DZA", "Algeria")),
    ("061", ("AS", "ASM", "American Samoa")),
    ("039", ("AD", "AND", "Andorra")),
    ("017", ("AO", "AGO", "Angola")),
    ("029", ("AI", "AIA", "Anguilla")),
    ("029", ("AG", "ATG", "Antigua and Barbuda")),
    ("005", ("AR", "ARG", "Argentina")),
    ("145", ("AM", "ARM", "Armenia")),
    ("029", ("AW", "ABW", "Aruba")),
    ("053", ("AU", "AUS", "Australia")),
    ("155", ("AT", "AUT", "Austria")),
    ("145", ("AZ", "AZE", "Azerbaijan")),
    ("039", ("Azores Islands", "Azores Islands (Portugal)")),
    ("029", ("BS", "BHS", "Bahamas")),
    ("145", ("BH", "BHR", "Bahrain")),
    ("034", ("BD", "BGD", "Bangladesh")),
    ("029", ("BB", "BRB", "Barbados")),
    ("151", ("BY", "BLR", "Belarus")),
    ("155", ("BE", "BEL", "Belgium")),
    ("013", ("BZ", "BLZ", "Belize")),
    ("011", ("BJ", "BEN", "Benin")),
    ("021", ("BM", "BMU", "Bermuda")),
    ("034", ("BT", "BTN", "Bhutan")),
    ("005", ("BO", "BOL", "Bolivia (Plurinational State of)", "Bolivia")),
    ("029", ("BQ", "BES", "Bonaire, Sint Eustatius and Saba")),
    ("039", ("BA", "BIH", "Bosnia and Herzegovina")),
    ("018", ("BW", "BWA", "Botswana")),
    ("005", ("BV", "BVT", "Bouvet Island")),
    ("005", ("BR", "BRA", "Brazil")),
    ("014", ("IO", "IOT", "British Indian Ocean Territory")),
    ("029", ("VG", "VGB", "British Virgin Islands")),
    ("035", ("BN", "BRN", "Brunei Darussalam")),
    ("151", ("BG", "BGR", "Bulgaria")),
    ("011", ("BF", "BFA", "Burkina Faso")),
    ("014", ("BI", "BDI", "Burundi")),
    ("011", ("CV", "CPV", "Cabo Verde")),
    ("035", ("KH", "KHM", "Cambodia")),
    ("017", ("CM", "CMR", "Cameroon")),
    ("021", ("CA", "CAN", "Canada")),
    ("015", ("Canary Islands", "Canary Islands (Spain)")),
    ("029", ("KY", "CYM", "Cayman Islands")),
    ("017", ("CF", "CAF", "Central African Republic", "CAR")),
    ("017", ("TD", "TCD", "Chad")),
    ("154", ("Channel Islands",)),
    ("005", ("CL", "CHL", "Chile")),
    ("030", ("CN", "CHN", "China")),
    ("030", ("HK", "HKG", "China, Hong Kong Special Administrative Region")),
    ("053", ("CX", "CXR", "Christmas Island")),
    ("053", ("CC", "CCK", "Cocos (Keeling) Islands")),
    ("005", ("CO", "COL", "Colombia")),
    ("014", ("KM", "COM", "Comoros")),
    ("017", ("CG", "COG", "Congo")),
    ("061", ("CK", "COK", "Cook Islands")),
    ("013", ("CR", "CRI", "Costa Rica")),
    ("039", ("HR", "HRV", "Croatia")),
    ("029", ("CU", "CUB", "Cuba")),
    ("029", ("CW", "CUW", "Curaçao")),
    ("145", ("CY", "CYP", "Cyprus")),
    ("151", ("CZ", "CZE", "Czechia")),
    ("011", ("CI", "CIV", "Côte d'Ivoire")),
    ("030", ("KP", "PRK", "Democratic People's Republic of Korea", "DPRK")),
    ("017", ("CD", "COD", "Democratic Republic of the Congo", "DR Congo")),
    ("154", ("DK", "DNK", "Denmark")),
    ("014", ("DJ", "DJI", "Djibouti")),
    ("029", ("DM", "DMA", "Dominica")),
    ("029", ("DO", "DOM", "Dominican Republic", "Dominican Rep.")),
    ("005", ("EC", "ECU", "Ecuador")),
    ("015", ("EG", "EGY", "Egypt")),
    ("013", ("SV", "SLV", "El Salvador")),
    ("017", ("GQ", "GNQ", "Equatorial Guinea")),
    ("014", ("ER", "ERI", "Eritrea")),
    ("154", ("EE", "EST", "Estonia")),
    ("018", ("SZ", "SWZ", "Eswatini")),
    ("014", ("ET", "ETH", "Ethiopia")),
    ("005", ("FK", "FLK", "Falkland Islands", "Falkland Islands (Malvinas)")),
    ("154", ("FO", "FRO", "Faroe Islands")),
    ("054", ("FJ", "FJI", "Fiji")),
    ("154", ("FI", "FIN", "Finland")),
    ("155", ("FR", "FRA", "France")),
    ("005", ("GF", "GUF", "French Guiana")),
    ("061", ("PF", "PYF", "French Polynesia")),
    ("014", ("TF", "ATF", "French Southern Territories")),
    ("017", ("GA", "GAB", "Gabon")),
    ("005", ("Galapagos Islands", "Galapagos Islands (Ecuador)")),
    ("011", ("GM", "GMB", "Gambia")),
    ("145", ("GE", "GEO", "Georgia")),
    ("155", ("DE", "DEU", "Germany")),
    ("011", ("GH", "GHA", "Ghana")),
    ("039", ("GI", "GIB", "Gibraltar")),
    ("039", ("GR", "GRC", "Greece")),
    ("021", ("GL", "GRL", "Greenland")),
    ("029", ("GD", "GRD", "Grenada")),
    ("029", ("GP", "GLP", "Guadeloupe")),
    ("057", ("GU", "GUM", "Guam")),
    ("013", ("GT", "GTM", "Guatemala")),
    ("830", ("GG", "GGY", "Guernsey")),
    ("011", ("GN", "GIN", "Guinea")),
    ("011", ("GW", "GNB", "Guinea-Bissau")),
    ("005", ("GY", "GUY", "Guyana")),
    ("029", ("HT", "HTI", "Haiti")),
    ("053", ("HM", "HMD", "Heard Island and McDonald Islands")),
    ("039", ("VA", "VAT", "Holy See")),
    ("013", ("HN", "HND", "Honduras")),
    ("151", ("HU", "HUN", "Hungary")),
    ("154", ("IS", "ISL", "Iceland")),
    ("034", ("IN", "IND", "India")),
    ("035", ("ID", "IDN", "Indonesia")),
    ("034", ("IR", "IRN", "Iran (Islamic Republic of)", "Iran")),
    ("145", ("IQ", "IRQ", "Iraq")),
    ("154", ("IE", "IRL", "Ireland")),
    ("154", ("IM", "IMN", "Isle of Man")),
    ("145", ("IL", "ISR", "Israel")),
    ("039", ("IT", "ITA", "Italy")),
    ("029", ("JM", "JAM", "Jamaica")),
    ("030", ("JP", "JPN", "Japan")),
    ("830", ("JE", "JEY", "Jersey")),
    ("145", ("JO", "JOR", "Jordan")),
    ("143", ("KZ", "KAZ", "Kazakhstan")),
    ("014", ("KE", "KEN", "Kenya")),
    ("057", ("KI", "KIR", "Kiribati")),
    ("039", ("Kosovo",)),
    ("145", ("KW", "KWT", "Kuwait")),
    ("143", ("KG", "KGZ", "Kyrgyzstan")),
    ("035", ("LA", "LAO", "Lao People's Democratic Republic", "Lao PDR")),
    ("154", ("LV", "LVA", "Latvia")),
    ("145", ("LB", "LBN", "Lebanon")),
    ("018", ("LS", "LSO", "Lesotho")),
    ("011", ("LR", "LBR", "Liberia")),
    ("015", ("LY", "LBY", "Libya")),
    ("155", ("LI", "LIE", "Liechtenstein")),
    ("154", ("LT", "LTU", "Lithuania")),
    ("155", ("LU", "LUX", "Luxembourg")),
    ("030", ("MO", "MAC", "Macao", "China, Macao Special Administrative Region")),
    ("014", ("MG", "MDG", "Madagascar")),
    ("014", ("MW", "MWI", "Malawi")),
    ("035", ("MY", "MYS", "Malaysia")),
    ("034", ("MV", "MDV", "Maldives")),
    ("011", ("ML", "MLI", "Mali")),
    ("039", ("MT", "MLT", "Malta")),
    ("057", ("MH", "MHL", "Marshall Islands")),
    ("029", ("MQ", "MTQ", "Martinique")),
    ("011", ("MR", "MRT", "Mauritania")),
    ("014", ("MU", "MUS", "Mauritius")),
    ("014", ("YT", "MYT", "Mayotte")),
    ("013", ("MX", "MEX", "Mexico")),
    ("057", ("FM", "FSM", "Micronesia (Federated States of)", "Micronesia")),
    ("155", ("MC", "MCO", "Monaco")),
    ("030", ("MN", "MNG", "Mongolia")),
    ("039", ("ME", "MNE", "Montenegro")),
    ("029", ("MS", "MSR", "Montserrat")),
    ("015", ("MA", "MAR", "Morocco")),
    ("014", ("MZ", "MOZ", "Mozambique")),
    ("035", ("MM", "MMR", "Myanmar")),
    ("018", ("NA", "NAM", "Namibia")),
    ("057", ("NR", "NRU", "Naoero")),
    ("034", ("NP", "NPL", "Nepal")),
    ("155", ("NL", "NLD", "Netherlands (Kingdom of the)")),
    ("054", ("NC", "NCL", "New Caledonia")),
    ("053", ("NZ", "NZL", "New Zealand")),
    ("013", ("NI", "NIC", "Nicaragua")),
    ("011", ("NE", "NER", "Niger")),
    ("011", ("NG", "NGA", "Nigeria")),
    ("061", ("NU", "NIU", "Niue")),
    ("053", ("NF", "NFK", "Norfolk Island")),
    ("039", ("MK", "MKD", "North Macedonia")),
    ("057", ("MP", "MNP", "Northern Mariana Islands")),
    ("154", ("NO", "NOR", "Norway")),
    ("145", ("OM", "OMN", "Oman")),
    ("034", ("PK", "PAK", "Pakistan")),
    ("057", ("PW", "PLW", "Palau")),
    ("013", ("PA", "PAN", "Panama")),
    ("054", ("PG", "PNG", "Papua New Guinea")),
    ("005", ("PY", "PRY", "Paraguay")),
    ("005", ("PE", "PER", "Peru")),
    ("035", ("PH", "PHL", "Philippines")),
    ("061", ("PN", "PCN", "Pitcairn")),
    ("151", ("PL", "POL", "Poland")),
    ("039", ("PT", "PRT", "Portugal")),
    ("029", ("PR", "PRI", "Puerto Rico")),
    ("145", ("QA", "QAT", "Qatar")),
    ("030", ("KR", "KOR", "Republic of Korea")),
    ("151", ("MD", "MDA", "Republic of Moldova")),
    ("151", ("RO", "ROU", "Romania")),
    ("151", ("RU", "RUS", "Russian Federation", "Russia")),
    ("014", ("RW", "RWA", "Rwanda")),
    ("014", ("RE", "REU", "Réunion")),
    ("029", ("BL", "BLM", "Saint Barthélemy")),
    ("011", ("SH", "SHN", "Saint Helena")),
    ("029", ("KN", "KNA", "Saint Kitts and Nevis")),
    ("029", ("LC", "LCA", "Saint Lucia")),
    ("029", ("MF", "MAF", "Saint Martin", "Saint Martin (French part)")),
    ("021", ("PM", "SPM", "Saint Pierre and Miquelon")),
    ("029", ("VC", "VCT", "Saint Vincent and the Grenadines", "St. Vincent & Grenadines")),
    ("061", ("WS", "WSM", "Samoa")),
    ("039", ("SM", "SMR", "San Marino")),
    ("017", ("ST", "STP", "Sao Tome and Principe")),
    ("830", ("Sark",)),
    ("145", ("SA", "SAU", "Saudi Arabia")),
    ("011", ("SN", "SEN", "Senegal")),
    ("039", ("RS", "SRB", "Serbia")),
    ("014", ("SC", "SYC", "Seychelles")),
    ("011", ("SL", "SLE", "Sierra Leone")),
    ("035", ("SG", "SGP", "Singapore")),
    ("029", ("SX", "SXM", "Sint Maarten", "Sint Maarten (Dutch part)")),
    ("151", ("SK", "SVK", "Slovakia")),
    ("039", ("SI", "SVN", "Slovenia")),
    ("054", ("SB", "SLB", "Solomon Islands")),
    ("014", ("SO", "SOM", "Somalia")),
    ("018", ("ZA", "ZAF", "South Africa")),
    ("005", ("GS", "SGS", "South Georgia and the South Sandwich Islands")),
    ("014", ("SS", "SSD", "South Sudan")),
    ("039", ("ES", "ESP", "Spain")),
    ("034", ("LK", "LKA", "Sri Lanka")),
    ("145", ("PS", "PSE", "State of Palestine", "oPt")),
    ("015", ("SD", "SDN", "Sudan")),
    ("005", ("SR", "SUR", "Suriname")),
    ("154", ("SJ", "SJM", "Svalbard and Jan Mayen Islands")),
    ("154", ("SE", "SWE", "Sweden")),
    ("155", ("CH", "CHE", "Switzerland")),
    ("145", ("SY", "SYR", "Syrian Arab Republic", "Syria")),
    ("030", ("TW", "TWN", "Taiwan (Province of China)")),
    ("143", ("TJ", "TJK", "Tajikistan")),
    ("035", ("TH", "THA", "Thailand")),
    ("035", ("TL", "TLS", "Timor-Leste")),
    ("011", ("TG", "TGO", "Togo")),
    ("061", ("TK", "TKL", "Tokelau")),
    ("061", ("TO", "TON", "Tonga")),
    ("029", ("TT", "TTO", "Trinidad and Tobago")),
    ("015", ("TN", "TUN", "Tunisia")),
    ("143", ("TM", "TKM", "Turkmenistan")),
    ("029", ("TC", "TCA", "Turks and Caicos Islands")),
    ("061", ("TV", "TUV", "Tuvalu")),
    ("145", ("TR", "TUR", "Türkiye")),
    ("014", ("UG", "UGA", "Uganda")),
    ("151", ("UA", "UKR", "Ukraine")),
    ("145", ("AE", "ARE", "United Arab Emirates", "UAE")),
    ("154", ("GB", "GBR", "United Kingdom of Great Britain and Northern Ireland", "UK")),
    ("014", ("TZ", "TZA", "United Republic of Tanzania", "Tanzania")),
    ("057", ("UM", "UMI", "United States Minor Outlying Islands")),
    ("029", ("VI", "VIR", "United States Virgin Islands")),
    ("021", ("US", "USA", "United States of America")),
    ("005", ("UY", "URY", "Uruguay")),
    ("143", ("UZ", "UZB", "Uzbekistan")),
    ("054", ("VU", "VUT", "Vanuatu")),
    ("005", ("VE", "VEN", "Venezuela (Bolivarian Republic of)", "Venezuela")),
    ("035", ("VN", "VNM", "Viet Nam")),
    ("061", ("WF", "WLF", "Wallis and Futuna Islands")),
    ("015", ("EH", "ESH", "Western Sahara")),
    ("145", ("YE", "YEM", "Yemen")),
    ("014", ("ZM", "ZMB", "Zambia")),
    ("014", ("ZW", "ZWE", "Zimbabwe")),
    ("154", ("AX", "ALA", "Åland Islands")),
)
