from __future__ import annotations

import gc
import weakref

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.bounded_memo import sized_memo


class Box:
    def __init__(self, text: str) -> None:
        self.text = text


def _size(text: str) -> int:
    return len(text)


def test_a_result_is_computed_once_while_it_fits() -> None:
    calls: list[str] = []

    @sized_memo(100, size=_size)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert upper("abc") == "ABC" and upper("abc") == "ABC"
    assert calls == ["abc"]
    assert upper.__name__ == "upper"


def test_what_it_holds_stays_within_the_budget_whatever_is_asked() -> None:
    refs: list[weakref.ref[Box]] = []

    @sized_memo(1_000, size=_size)
    def boxed(text: str) -> Box:
        box = Box(text)
        refs.append(weakref.ref(box))
        return box

    for number in range(2_000):
        boxed(f"{number:010d}")  # 10 characters each: 20,000 asked for in all
    gc.collect()
    alive = [box for box in (ref() for ref in refs) if box is not None]
    assert 0 < sum(len(box.text) for box in alive) <= 1_000


def test_what_is_asked_for_often_stays() -> None:
    calls: list[str] = []

    @sized_memo(100, size=_size)
    def same(text: str) -> str:
        calls.append(text)
        return text

    for number in range(200):
        same("hot")
        same(f"cold{number:06d}")
    assert calls.count("hot") == 1


def test_a_result_larger_than_the_budget_is_given_not_kept() -> None:
    calls: list[str] = []

    @sized_memo(10, size=_size)
    def same(text: str) -> str:
        calls.append(text)
        return text

    same("small")
    large = "x" * 50
    assert same(large) == large and same(large) == large
    assert calls == ["small", large, large]
    same("small")
    assert calls.count("small") == 1  # nothing was pushed out for the large one


def test_keyword_calls_are_not_remembered() -> None:
    calls: list[str] = []

    @sized_memo(100, size=_size)
    def same(text: str) -> str:
        calls.append(text)
        return text

    assert same(text="a") == "a" and same(text="a") == "a"
    assert calls == ["a", "a"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=300), st.integers(min_value=1, max_value=60))
def test_answers_are_the_function_s_for_any_sequence_of_calls(texts: list[str], budget: int) -> None:
    @sized_memo(budget, size=_size)
    def reversed_text(text: str) -> str:
        return text[::-1]

    assert [reversed_text(t) for t in texts] == [t[::-1] for t in texts]
