"""The worker pool shared by ``l10n run`` and ``l10n check``."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import threading
import time
from typing import Any

import pytest

from pipeline.commands.workers import cut, deal, run_in_workers
from pipeline.config import Tuning
from pipeline.errors import InputError, ProblemsFound

QUICK = Tuning(poll_seconds=0.05, drain_seconds=0.5)


def _square_all(chunk: list[int], _barrier: Any, send: Any) -> list[int]:
    for item in chunk:
        send(item)
    return [item * item for item in chunk]


def test_answers_come_in_the_order_of_the_slices_and_parts_as_they_are_sent() -> None:
    parts: list[int] = []
    answers = run_in_workers(_square_all, [[1, 2], [3], [4, 5, 6]], deliver=parts.append, tuning=QUICK)
    assert answers == [[1, 4], [9], [16, 25, 36]]
    assert sorted(parts) == [1, 2, 3, 4, 5, 6]
    assert multiprocessing.active_children() == []


def _phases(chunk: list[int], barrier: Any, send: Any) -> int:
    # Each worker writes its first phase's mark, waits for all, then counts the marks.
    folder = chunk[0]
    with open(f"{folder}/{os.getpid()}", "w"):
        pass
    barrier.wait()
    return len(os.listdir(folder))


def test_the_barrier_holds_every_worker_until_all_have_done_phase_one(tmp_path: Any) -> None:
    answers = run_in_workers(_phases, [[tmp_path]] * 3, barrier=True, tuning=QUICK)
    assert answers == [3, 3, 3]


def _fail_in_second(chunk: list[int], barrier: Any, _send: Any) -> int:
    if chunk == [2]:
        barrier.abort()
        raise InputError("bad input", path="x.po", line=3)
    barrier.wait()
    return 0


def test_an_error_in_a_worker_is_raised_in_the_parent_and_others_stop_at_the_barrier() -> None:
    with pytest.raises(InputError, match="bad input") as caught:
        run_in_workers(_fail_in_second, [[1], [2], [3]], barrier=True, tuning=QUICK)
    assert caught.value.path == "x.po" and caught.value.line == 3
    assert multiprocessing.active_children() == []


def _die(_chunk: Any, _barrier: Any, _send: Any) -> None:
    os._exit(9)


def test_a_worker_that_dies_is_reported_and_no_worker_is_left() -> None:
    with pytest.raises(ProblemsFound, match=r"ended unexpectedly \(exit code 9\)"):
        run_in_workers(_die, [[1], [2]], tuning=QUICK)
    assert multiprocessing.active_children() == []


def _answer_then_get_killed(chunk: list[int], _barrier: Any, _send: Any) -> int:
    if chunk == [0]:
        # Answers, then is killed (as by the out-of-memory killer) once its answer
        # is out: this finaliser runs after the queue's feeder thread has joined.
        multiprocessing.util.Finalize(None, os._exit, args=(137,), exitpriority=-10)
        return 0
    time.sleep(30)  # held up, as by a parcel half-sent
    return 1


def test_a_worker_killed_after_answering_is_reported_not_waited_for() -> None:
    start = time.monotonic()
    with pytest.raises(ProblemsFound, match="ended unexpectedly") as caught:
        run_in_workers(_answer_then_get_killed, [[0], [1]], tuning=QUICK)
    assert "exit code 137" in str(caught.value)
    assert time.monotonic() - start < 15
    assert multiprocessing.active_children() == []


def test_deal_spreads_neighbours_and_cut_keeps_order() -> None:
    items = list(range(7))
    assert deal(items, 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert cut(items, 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert [x for part in cut(items, 3) for x in part] == items
    assert deal(items, 10) == [[i] for i in items] and deal([], 2) == [[]]
    assert cut([], 2) == []


def _fail_before_the_barrier(chunk: list[int], barrier: Any, _send: Any) -> int:
    # Raises without breaking the barrier itself: the pool must break it.
    if chunk == [2]:
        raise InputError("bad input", path="y.po", line=1)
    barrier.wait()
    return 0


def test_a_worker_that_raises_before_the_barrier_does_not_hold_up_the_others() -> None:
    start = time.monotonic()
    with pytest.raises(InputError, match="bad input"):
        run_in_workers(_fail_before_the_barrier, [[1], [2], [3]], barrier=True, tuning=QUICK)
    assert time.monotonic() - start < 15
    assert multiprocessing.active_children() == []


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def _raise_unpicklable(_chunk: Any, _barrier: Any, _send: Any) -> None:
    raise _Unpicklable()


def test_an_error_that_cannot_be_pickled_still_says_what_it_was() -> None:
    with pytest.raises(RuntimeError, match="_Unpicklable: holds a lock"):
        run_in_workers(_raise_unpicklable, [[1], [2]], tuning=QUICK)
