"""The columns of each kind of record in CSV and Markdown tables (and the order of keys)."""

PERSON_COLUMNS = tuple(
    "id name hangul category country post year years destination confirmed confirmation "
    "status disputed sources".split()
)
QUOTE_COLUMNS = ("id", "person", "speaker", "text", "date", "venue", "source")
STATS_COLUMNS = ("year", "total", "men", "women", "women_percent", "elite", "sources", "note")
FACET_COLUMNS = ("by", "value", "count", "people")
TIMELINE_COLUMNS = ("date", "kind", "person", "summary", "source", "sources")
SOURCE_COLUMNS = ("id", "kind", "outlet", "via", "title", "date", "author", "url", "language")
SEARCH_COLUMNS = ("kind", "id", "person", "title", "snippet")
