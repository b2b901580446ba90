"""The whole read path: find files, parse, validate, build typed records.

``read_dataset`` either returns a complete, consistent ``Dataset`` or raises ``DataError``
with every problem it found; nothing half-valid gets through to the query layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem
from .load import LoadedFile, as_dataset, load_file
from .locate import DataFile, find_data_files
from .model import Cumulative, Event, Figure, Person, Quote, Source, YearFigures, build
from .validate import Collected, collect, reference_problems, schema_problems


@dataclass
class Dataset:
    """Every record of a dataset, validated and typed."""

    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    arrivals: list[YearFigures] = field(default_factory=list)
    cumulative: list[Cumulative] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)


def check_dataset(path: str | Path | None) -> tuple[Dataset | None, list[Problem]]:
    """Read and validate; return the dataset (or None) and every problem found."""
    try:
        files = find_data_files(path)
    except DataError as exc:
        return None, list(exc.problems)
    records, problems = check_records(files)
    if records is None:
        return None, problems
    names = speaker_names(records)
    dataset = build_shared(records)
    dataset.people = [build(Person, r.data) for r in records.people]
    dataset.quotes = [q for person in dataset.people for q in build_quotes(person, names)]
    dataset.files = files
    return dataset, []


def check_records(
    files: list[DataFile], progress: Callable[[int], None] | None = None
) -> tuple[Collected | None, list[Problem]]:
    """Parse, check and cross-check the files: their records by kind, or the problems.
    Each file is parsed and checked against its schema, in order."""
    problems: list[Problem] = []
    loaded: list[LoadedFile] = []
    for number, data_file in enumerate(files, start=1):
        if progress is not None:
            progress(number)
        parsed, found = load_file(data_file)
        problems += found
        if parsed is None:
            continue
        if data_file.kind == "dataset":
            parsed = as_dataset(parsed)
        found = schema_problems(parsed)
        data = parsed.data
        # A dataset file has no top-level id; one person's file (people/NAME.yaml) has one,
        # and its own ``events`` and ``sources`` (lists of another shape), but no ``people``.
        one_record = isinstance(data, dict) and "id" in data and "people" not in data
        if found and data_file.kind == "dataset" and one_record:
            # Not a dataset with mistakes: say that alone.
            message = (
                "a single record (such as one person's file), not a dataset: --data takes a "
                "dataset folder (with people/, sources/...) or one file with people:, "
                "sources:, events: and statistics:"
            )
            found = [Problem(parsed.source.display, None, None, "", message)]
        problems += found
        if not found:
            loaded.append(parsed)
    if problems:
        # Cross-references are checked only on a dataset whose every file is well formed:
        # a broken sources file would otherwise turn every citation into a second error.
        return None, problems
    records = collect(loaded)
    problems = reference_problems(records)
    return (None if problems else records), problems


def read_dataset(path: str | Path | None = None) -> Dataset:
    """The dataset at ``path`` (None: the bundled data), or ``DataError``."""
    dataset, problems = check_dataset(path)
    if dataset is None:
        raise DataError(problems)
    return dataset


def speaker_names(records: Collected) -> dict[str, str]:
    """Person id -> display name: what a quotation shows for a speaker given by id."""
    return {r.data["id"]: r.data["name"] for r in records.people}


def build_quotes(person: Person, names: dict[str, str]) -> Iterator[Quote]:
    """A person's quotations as dataset-wide records: whose file, who spoke."""
    for q in person.quotes:
        if q.speaker_name is not None:
            speaker, speaker_id = q.speaker_name, None
        else:
            speaker_id = q.speaker or person.id
            speaker = names[speaker_id]
        # The builder leaves out the keys Quote has no field for (speaker_name).
        resolved = {"person": person.id, "speaker": speaker, "speaker_id": speaker_id}
        yield build(Quote, {**q._asdict(), **resolved})


def build_shared(records: Collected) -> Dataset:
    """Every record but the people and their quotations: sources, events, statistics."""
    return Dataset(
        sources=[build(Source, r.data) for r in records.sources],
        events=[build(Event, r.data) for r in records.events],
        arrivals=sorted(
            (build(YearFigures, r.data) for r in records.arrivals), key=lambda y: y.year
        ),
        cumulative=[build(Cumulative, r.data) for r in records.cumulative],
        figures=[build(Figure, r.data) for r in records.figures],
    )
