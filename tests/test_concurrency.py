"""Many editors at once: optimistic concurrency loses no update (PostgreSQL), and rows added
at the same moment all get their own key (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from cxmap import services
from cxmap.core.context import Context
from cxmap.core.errors import ConflictError
from tests.factories import journey_document


@pytest.mark.postgres
def test_200_concurrent_updates_from_8_threads_lose_none(pg_ctx: Context) -> None:
    """Eight editors each add 25 to a touchpoint's volume, one at a time, re-reading after a
    conflict. If any update were lost, the final volume would be short of 200."""
    map_id = services.import_document(
        pg_ctx, journey_document(stages=1, touchpoints_per_stage=1)
    ).id
    tp_id = services.load_map(pg_ctx, map_id).touchpoints[0].id
    services.update_row(pg_ctx, map_id, "touchpoint", tp_id, 1, {"volume": 0})
    conflicts = [0] * 8
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def editor(number: int) -> None:
        try:
            start.wait()
            done = 0
            while done < 25:
                with pg_ctx.session() as s:
                    from cxmap.store import row_queries

                    row = row_queries.get_row(s, "touchpoint", map_id, tp_id)
                try:
                    services.update_row(
                        pg_ctx,
                        map_id,
                        "touchpoint",
                        tp_id,
                        row.version,
                        {"volume": row.volume + 1},  # type: ignore[attr-defined]
                    )
                    done += 1
                except ConflictError:
                    conflicts[number] += 1
        except BaseException as error:  # surfaced after join
            errors.append(error)

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    final = services.load_map(pg_ctx, map_id).touchpoints[0]
    assert final.volume == 200
    assert final.version == 1 + 1 + 200  # created, set to 0, then 200 increments
    assert sum(conflicts) > 0  # the editors really did collide


@pytest.mark.postgres
def test_blind_writes_from_8_threads_conflict_instead_of_overwriting(pg_ctx: Context) -> None:
    """All editors read version v and write at once: exactly one wins, the rest get conflicts."""
    map_id = services.import_document(
        pg_ctx, journey_document(stages=1, touchpoints_per_stage=1)
    ).id
    tp = services.load_map(pg_ctx, map_id).touchpoints[0]
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def editor(number: int) -> None:
        start.wait()
        try:
            services.update_row(
                pg_ctx, map_id, "touchpoint", tp.id, tp.version, {"name": f"E{number}"}
            )
            outcomes.append(f"E{number}")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if o != "conflict"]
    assert len(outcomes) == 8 and len(winners) == 1
    assert services.load_map(pg_ctx, map_id).touchpoints[0].name == winners[0]


@pytest.mark.parametrize("entity", ["stage", "persona"])
def test_10_editors_adding_rows_at_once_all_succeed_with_distinct_keys(
    ctx: Context, entity: str
) -> None:
    """Ten editors press "add" at the same moment (SQLite and PostgreSQL): every row is saved,
    each with its own key (the key is picked once the map's write lock is held)."""
    map_id = services.create_map(ctx, "Workshop").id
    start = threading.Barrier(10)
    created: list[str] = []
    errors: list[BaseException] = []

    def editor(number: int) -> None:
        start.wait()
        try:
            row = services.create_row(ctx, map_id, entity, {"name": f"Row {number}"})
            created.append(row.key)  # type: ignore[attr-defined]
        except BaseException as error:  # surfaced after join
            errors.append(error)

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, [str(e) for e in errors]
    assert len(set(created)) == 10
    stored = getattr(services.load_map(ctx, map_id), f"{entity}s")
    assert sorted(r.key for r in stored) == sorted(created)
    assert sorted(r.position for r in stored) == list(range(1, 11))
