"""Heading anchors (pipeline/build/anchors.py): GitHub's slugs of the source headings."""

from __future__ import annotations

import pytest

from pipeline.build.anchors import apply_anchors, slugify, unique


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("What Rejekts and KubeCon have in common", "what-rejekts-and-kubecon-have-in-common"),
        ("Use **bold** _x_", "use-bold-x"),  # emphasis is markup, not text
        ("Q&amp;A", "qa"),  # an entity is the character it stands for
        ("What [Rejekts](https://rejekts.io) are", "what-rejekts-are"),
        ("`kubectl` and a <b>tag</b>", "kubectl-and-a-tag"),
        ("Čeština a ěščř", "čeština-a-ěščř"),
        ("snake_case stays", "snake_case-stays"),
    ],
)
def test_slugs_are_githubs(heading: str, anchor: str) -> None:
    assert slugify(heading) == anchor


def test_repeated_slugs_are_numbered_and_ids_go_on_headings_in_order() -> None:
    assert unique(["intro", "intro", "", "intro"]) == ("intro", "intro-1", "section", "intro-2")
    html = "<h2>Úvod</h2><p>x</p><h3>Další {#next}</h3>"
    assert apply_anchors(html, ("intro", "next")) == '<h2 id="intro">Úvod</h2><p>x</p><h3 id="next">Další</h3>'
    assert apply_anchors(html, ("intro",)) == "<h2>Úvod</h2><p>x</p><h3>Další</h3>"  # counts differ: no ids


def test_an_authors_id_is_kept_even_twice_and_no_made_slug_takes_it() -> None:
    assert unique(["start", "intro", "start", "start"], [True, False, True, False]) == ("start", "intro", "start", "start-1")
    html = "<h2>Setup {: #setup .wide }</h2><h2>Again {:#again}</h2>"
    assert apply_anchors(html, ("setup", "again")) == '<h2 id="setup">Setup</h2><h2 id="again">Again</h2>'
