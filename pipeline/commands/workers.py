"""The one worker pool of the parallel commands (``l10n run`` and ``l10n check``).

Forked processes, one per slice of the work, each calling ``work(slice, barrier,
send)``: ``send`` hands a partial result to the parent as soon as it is ready
(``deliver`` receives it there, so neither side holds them all), and the return
value is the slice's final answer. With ``barrier``, workers can wait for each
other between phases; a worker that raises breaks the barrier, so no other waits
for it for ever. The first error a worker reports ends the pool: the parent ends
every other worker and raises that error. A worker that dies, Ctrl-C and SIGTERM
end it the same way.

Fork, not spawn: the workers share the parent's loaded modules, settings and
warmed caches (language models) page by page instead of loading them again.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import pickle
import queue
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from pipeline.config import Tuning
from pipeline.errors import ProblemsFound

Slice = TypeVar("Slice")
Answer = TypeVar("Answer")
#: Hands a partial result to the parent.
Send = Callable[[Any], None]
#: What each worker runs: (its slice, the barrier or None, send) -> its answer.
Work = Callable[[Slice, Any, Send], Answer]


def die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the parent dies (even by
    SIGKILL), so that no worker outlives a cancelled command."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's cleanup must do
        pass


@dataclass(frozen=True)
class _Part:
    """A partial result on its way to the parent."""

    value: Any


@dataclass(frozen=True)
class _Done(Generic[Answer]):
    """A worker's final answer, or the error that ended it (None: its barrier
    was broken by another worker's error)."""

    value: Answer | BaseException | None


def deal(items: Sequence[Slice], jobs: int) -> list[list[Slice]]:
    """``items`` dealt into at most ``jobs`` slices of near-equal size.

    Dealt, not cut: articles of one kind often share a name prefix (and so sit
    together in slug order), and contiguous slices would give one worker all the
    costly ones while the other waits."""
    jobs = max(1, min(jobs, len(items)))
    return [list(items[index::jobs]) for index in range(jobs)]


def cut(items: Sequence[Slice], jobs: int) -> list[list[Slice]]:
    """``items`` cut into at most ``jobs`` contiguous slices (their answers joined
    in order give the answers in the order of ``items``)."""
    size = -(-len(items) // max(1, jobs)) or 1
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _ignore(_part: Any) -> None:
    return None


def _worker(index: int, work: Work[Any, Any], chunk: Any, barrier: Any, results: Any) -> None:
    die_with_parent()
    # The parent's SIGTERM handler raises KeyboardInterrupt, which a worker would
    # print as a traceback; SystemExit ends it quietly, its cleanup still run.
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        answer = work(chunk, barrier, lambda part: results.put((index, _Part(part))))
        results.put((index, _Done(answer)))
    except threading.BrokenBarrierError:
        results.put((index, _Done(None)))  # another worker failed and says why
    except BaseException as exc:  # reported by the parent, which raises it
        if barrier is not None:
            barrier.abort()  # the others must not wait for this one
        results.put((index, _Done(_sendable(exc))))


def _sendable(exc: BaseException) -> BaseException:
    """``exc``, or a plain error saying what it was when it cannot be pickled
    (the queue would drop it, and the parent would see a worker end silently)."""
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _exit_quietly(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def run_in_workers(
    work: Work[Slice, Answer],
    slices: Sequence[Slice],
    *,
    deliver: Callable[[Any], None] = _ignore,
    barrier: bool = False,
    tuning: Tuning = Tuning(),
) -> list[Answer]:
    """Run ``work`` on each slice in its own process; return the answers in the
    order of ``slices``. Partial results go to ``deliver`` as they come."""
    context = multiprocessing.get_context("fork")
    shared_barrier = context.Barrier(len(slices)) if barrier else None
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(i, work, chunk, shared_barrier, results)) for i, chunk in enumerate(slices)
    ]
    try:
        previous = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread
        previous = None
    collected: dict[int, Any] = {}
    # What the parent holds now (modules, settings, caches) is not garbage:
    # frozen, the workers' collections skip it and leave its pages shared with
    # the parent. A caller that froze objects itself keeps its own arrangement.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.collect()
        gc.freeze()
    try:
        for worker in workers:
            worker.start()
        while len(collected) < len(workers):
            try:
                index, message = results.get(timeout=tuning.poll_seconds)
            except queue.Empty:
                # A worker that has not answered and ended, or one that answered and
                # was killed.
                dead = [
                    w for i, w in enumerate(workers) if w.exitcode is not None and (i not in collected or w.exitcode != 0)
                ]
                if not dead:
                    continue
                try:  # an answer sent just before the worker ended may still be in the pipe
                    index, message = results.get(timeout=tuning.drain_seconds)
                except queue.Empty:
                    raise ProblemsFound(
                        f"a worker process ended unexpectedly (exit code {dead[0].exitcode})",
                        hint="run again, or with --jobs 1",
                    ) from None
            if isinstance(message, _Part):
                deliver(message.value)
            elif isinstance(message.value, BaseException):
                raise message.value  # the others are ended below
            else:
                collected[index] = message.value
    finally:
        if freeze:
            gc.unfreeze()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        # A worker ending flushes what it sent: keep reading (and dropping) so that
        # it can, and give its cleanup (staged files removed) time; kill only one
        # that is still there after the grace period.
        deadline = time.monotonic() + tuning.stop_seconds
        while any(worker.is_alive() for worker in workers) and time.monotonic() < deadline:
            try:
                results.get(timeout=min(tuning.poll_seconds, 0.1))
            except queue.Empty:
                pass
        for worker in workers:
            if worker.is_alive():
                worker.kill()
            worker.join()
    return [collected[i] for i in sorted(collected)]
