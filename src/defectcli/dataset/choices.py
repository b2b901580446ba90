"""The fixed vocabularies of the command line, with no imports: read at every start-up."""

SORT_FIELDS = ("year", "name", "country", "category", "destination", "id")
CATEGORIES = ("diplomat", "official", "family", "other")
# What became of a case as a report; a denied or false one is listed but never counted.
STATUSES = ("confirmed", "reported", "denied", "false", "unresolved")
NOT_DEFECTIONS = ("denied", "false")
FACETS = ("year", "decade", "country", "category", "destination", "status")
# What `timeline --kind` takes: a person's dated facts (a departure is leaving the post) and
# their life events, the status of a report, and `context` for the context events.
TIMELINE_KINDS = (
    "posting", "departure", "arrival", "disclosure", "status", "interview", "book",
    "career", "statement", "family", "other", "context",
)  # fmt: skip
SOURCE_KINDS = (
    "news", "broadcast", "interview", "book", "government", "statistics",
    "library", "blog", "forum", "wiki", "report", "other",
)  # fmt: skip
CITE_STYLES = ("text", "bibtex", "csl-json")
SEARCH_KINDS = ("person", "quote", "event", "claim", "source")
FORMATS = ("table", "plain", "json", "ndjson", "csv", "markdown")
MACHINE_FORMATS = ("json", "ndjson", "csv", "markdown")
COLORS = ("auto", "always", "never")
EXPORT_FORMATS = ("sqlite", "json", "ndjson", "csv")
