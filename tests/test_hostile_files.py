"""Hostile and oversized files (issue 20): a one-line refusal naming the place, nothing written,
bounded memory, the same on SQLite and PostgreSQL; and a fuzz run of the journey reader.

Every input is generated here (tests/hostile_files.py), none is committed. Timing is the
benchmark's business (benchmarks/bench_hostile_files.py); the tests only bound memory and
fail a run that hangs.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmap import services
from cxmap.core.context import Context
from cxmap.core.errors import CxmapError, InvalidInput
from cxmap.formats import feedback_file, journey_file, text_rules
from tests.factories import journey_document
from tests.hostile_files import MB, dense_bomb, row_bomb, run_cxmap, survey_csv, write_xlsx
from tests.hostile_files import journey_file as write_journey

PEAK_MB = 500  # the bound on the memory of a refused import


def _database_url(ctx: Context) -> str:
    return ctx.db.url  # type: ignore[attr-defined, no-any-return]


def _feedback_rows(ctx: Context) -> int:
    return sum(s.counts["feedback"] for s in services.list_maps(ctx))


def _journey(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        document = journey_document("Broadband onboarding")
        change(document)
        return write_journey(folder / "journey.json", document)

    return make


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


NUL_AT = "holds a NUL character (U+0000) at character"
SURROGATE_AT = "holds a lone surrogate (U+{}) at character"

# The table: (what, how to make the file, the place and problem the one line names).
JOURNEY_FILES = [
    (
        "lone surrogate in the map name",
        _journey(_set(("map", "name"), "Broadband \ud800")),
        f"$.map.name: {SURROGATE_AT.format('D800')} 11",
    ),
    (
        "lone surrogate in a feedback text",
        _journey(_set(("feedback", 0, "text"), "Too slow \udfff")),
        f"$.feedback[0].text: {SURROGATE_AT.format('DFFF')} 10",
    ),
    (
        "NUL in a name",
        _journey(_set(("touchpoints", 1, "name"), "Router\x00delivery")),
        f"$.touchpoints[1].name: {NUL_AT} 7",
    ),
]
FEEDBACK_FILES = [
    (
        "NUL in a quoted cell after 50k rows",
        lambda folder: survey_csv(
            folder / "survey.csv", 50_010, {(50_000, "Source"): "sur\x00vey, by mail"}
        ),
        f"row 50002, column 'Source': source: {NUL_AT} 4",
    ),
    (
        "one 5 MB cell",
        lambda folder: survey_csv(folder / "survey.csv", 10, {(1, "Comment"): "x" * (5 * MB)}),
        "row 3, column 'Comment': 5,242,880 characters; the limit is 20,000 per cell "
        "(CXMAP_MAX_CELL_CHARS)",
    ),
    (
        "xlsx that unpacks to 3 M rows",
        "rows bomb",
        "this workbook unpacks to 3,000,000 rows; the limit is 500,000 (CXMAP_MAX_FEEDBACK_ROWS)",
    ),
    (
        "dense xlsx bomb",
        "dense bomb",
        "this workbook unpacks to 520 MB; the limit is 500 MB (CXMAP_MAX_XLSX_UNPACKED_MB)",
    ),
]


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two xlsx bombs, built once for both databases (a few seconds each)."""
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "rows bomb": row_bomb(folder / "3m-rows.xlsx"),
        "dense bomb": dense_bomb(folder / "dense.xlsx", unpacked_mb=520),
    }


def _assert_one_line_refusal(run: Any, file: Path, expected: str) -> None:
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(f"cxmap: error: {file}: {expected}"), run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.endswith("\n")  # one line, no traceback
    assert run.peak_mb < PEAK_MB, f"peak memory {run.peak_mb:.0f} MB"


@pytest.mark.parametrize(
    ("make", "expected"), [case[1:] for case in JOURNEY_FILES], ids=[c[0] for c in JOURNEY_FILES]
)
def test_a_hostile_journey_file_is_refused_in_one_line(
    ctx: Context, tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    services.import_document(ctx, journey_document("Already here"))
    file = make(tmp_path)
    run = run_cxmap("import", str(file), database_url=_database_url(ctx))
    _assert_one_line_refusal(run, file, expected)
    assert [s.map.name for s in services.list_maps(ctx)] == ["Already here"]


@pytest.mark.parametrize(
    ("make", "expected"), [case[1:] for case in FEEDBACK_FILES], ids=[c[0] for c in FEEDBACK_FILES]
)
def test_a_hostile_feedback_file_is_refused_in_one_line(
    ctx: Context,
    tmp_path: Path,
    bombs: dict[str, Path],
    make: Callable[[Path], Path] | str,
    expected: str,
) -> None:
    services.import_document(ctx, journey_document("Target"))
    before = _feedback_rows(ctx)
    file = bombs[make] if isinstance(make, str) else make(tmp_path)
    run = run_cxmap(
        "voc", "import", str(file), "--map", "Target", "--text-col", "Comment",
        "--nps-col", "NPS", "--source-col", "Source", database_url=_database_url(ctx),
    )  # fmt: skip
    _assert_one_line_refusal(run, file, expected)
    assert _feedback_rows(ctx) == before and len(services.list_maps(ctx)) == 1


@pytest.mark.parametrize(
    ("make", "limits", "expected"),
    [
        (
            lambda folder: row_bomb(folder / "unstated.xlsx", 5_000, stated=False),
            {"CXMAP_MAX_FEEDBACK_ROWS": "1000"},
            "this workbook has more than 1,000 rows; the limit is 1,000 (CXMAP_MAX_FEEDBACK_ROWS)",
        ),
        (
            lambda folder: survey_csv(folder / "long.csv", 1_001),
            {"CXMAP_MAX_FEEDBACK_ROWS": "1000"},
            "the file has more than 1,000 rows; the limit is 1,000 (CXMAP_MAX_FEEDBACK_ROWS)",
        ),
        (
            lambda folder: survey_csv(folder / "wide.csv", 3),
            {"CXMAP_MAX_FEEDBACK_COLUMNS": "2"},
            "the file has 3 columns; the limit is 2 (CXMAP_MAX_FEEDBACK_COLUMNS)",
        ),
        (
            lambda folder: survey_csv(folder / "big.csv", 3, {(0, "Comment"): "x" * (2 * MB)}),
            {"CXMAP_MAX_FEEDBACK_MB": "1"},
            "the file is 2.0 MB, more than the 1 MB limit (CXMAP_MAX_FEEDBACK_MB raises it)",
        ),
    ],
    ids=["xlsx stating no dimension", "csv rows", "csv columns", "bytes"],
)
def test_each_limit_is_a_setting_named_in_the_refusal(
    sqlite_ctx: Context,
    tmp_path: Path,
    make: Callable[[Path], Path],
    limits: dict[str, str],
    expected: str,
) -> None:
    services.import_document(sqlite_ctx, journey_document("Target"))
    file = make(tmp_path)
    run = run_cxmap(
        "voc", "import", str(file), "--map", "Target", "--text-col", "Comment",
        database_url=_database_url(sqlite_ctx), env=limits,
    )  # fmt: skip
    _assert_one_line_refusal(run, file, expected)


def test_unstorable_characters_in_verbatims_are_replaced_and_counted(
    ctx: Context, tmp_path: Path
) -> None:
    journey = services.import_document(ctx, journey_document("Target", feedback_per_touchpoint=0))
    file = survey_csv(
        tmp_path / "survey.csv",
        300,
        {(0, "Comment"): "Great\x00 service", (2, "Comment"): "\x00ok\x00"},
    )
    run = run_cxmap(
        "voc", "import", str(file), "--map", "Target", "--text-col", "Comment",
        database_url=_database_url(ctx),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "3 characters that cannot be stored (NUL, lone surrogates) were replaced" in run.stdout
    texts = [f.text for f in services.load_map(ctx, journey.id).feedback]
    assert len(texts) == 300 and {"Great\ufffd service", "\ufffdok\ufffd"} <= set(texts)


@pytest.mark.parametrize(
    ("entity", "values", "where"),
    [
        ("stage", {"name": "Aware\x00ness"}, "name"),
        ("pain_point", {"description": "slow \udfff"}, "description"),
    ],
    ids=["NUL", "lone surrogate"],
)
def test_forms_refuse_unstorable_text_naming_the_field(
    ctx: Context, entity: str, values: dict[str, Any], where: str
) -> None:
    journey = services.import_document(ctx, journey_document("Target"))
    aggregate = services.load_map(ctx, journey.id)
    if entity == "pain_point":
        values = {"touchpoint_id": aggregate.touchpoints[0].id, **values}
    with pytest.raises(InvalidInput) as refused:
        services.create_row(ctx, journey.id, entity, values)
    assert refused.value.where == where
    assert refused.value.message.startswith(f"{where}: holds a ")
    with pytest.raises(InvalidInput, match=r"^name: holds a NUL"):
        services.update_map(ctx, journey.id, journey.version, name="New\x00name")
    after = services.load_map(ctx, journey.id)
    assert (after.map.name, after.stages, after.pain_points) == (
        "Target",
        aggregate.stages,
        aggregate.pain_points,
    )


# ---------------------------------------------------------------- fuzzing the journey reader

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["\x00", "\ud800", "s1", "t1", "2026-02-30", "", " "])
)
JSONISH = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_VALID = journey_document("Fuzzed", stages=2, touchpoints_per_stage=2, personas=1)


@st.composite
def _nearly_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one value somewhere replaced (so the fuzz gets past the schema)."""
    document = copy.deepcopy(_VALID)
    list_name = draw(st.sampled_from([k for k, v in document.items() if isinstance(v, list)]))
    items = document[list_name]
    if not items:
        return document
    item = items[draw(st.integers(0, len(items) - 1))]
    field = draw(st.sampled_from([*item, "extra"]))
    item[field] = draw(JSONISH)
    return document


def _refused_with_a_place(data: bytes) -> None:
    try:
        document = journey_file.parse_document(data)
    except CxmapError as error:
        assert error.message and "\n" not in error.message
        if isinstance(error, InvalidInput):  # a JSON path, or "" for the whole file
            assert error.where == "" or error.where.startswith("$"), error.where
        return
    assert text_rules.first_unstorable(document) is None  # what is accepted can be stored
    journey_file.document_content(document)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.one_of(JSONISH, _nearly_valid()))
def test_fuzz_the_journey_reader_refuses_with_a_place(value: Any) -> None:
    _refused_with_a_place(json.dumps(value).encode())


@settings(max_examples=500, deadline=None)
@given(
    data=st.binary(max_size=200)
    | st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_fuzz_the_journey_reader_with_any_bytes(data: bytes) -> None:
    _refused_with_a_place(data)


def test_an_xlsx_stating_too_small_a_dimension_is_read_whole(tmp_path: Path) -> None:
    rows = [f"<row><c><v>{n}</v></c></row>" for n in range(10)]
    file = write_xlsx(tmp_path / "understated.xlsx", rows, dimension="A1:A2")
    frame = feedback_file.read_feedback_file(file.read_bytes(), file.name, MB)
    assert frame["0"].tolist() == [str(n) for n in range(1, 10)]
