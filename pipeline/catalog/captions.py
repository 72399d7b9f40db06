"""Which target-only blocks of a legacy translation are image captions."""

from __future__ import annotations

from pipeline.model import Alignment, BlockKind


def caption_like(alignment: Alignment) -> frozenset[int]:
    """Target-only headings that stand where the source runs on without a break,
    or right after an image: an image's caption a scraper left as a short line
    (the legacy Czech "Vojta Mareš na Rejekts"), not a section the translation
    added. Built as a heading it would make a section out of a caption."""
    target = alignment.target
    found: set[int] = set()
    beads = alignment.beads
    for position, bead in enumerate(beads):
        if bead.source:
            continue
        before = next((b for b in reversed(beads[:position]) if b.source), None)
        after = next((b for b in beads[position + 1 :] if b.source), None)
        for j in bead.target:
            if target[j].kind is not BlockKind.HEADING:
                continue
            follows_image = j > 0 and target[j - 1].kind is BlockKind.IMAGE
            next_is_body = j + 1 < len(target) and target[j + 1].kind is not BlockKind.HEADING
            continuous = (
                before is not None
                and after is not None
                and after.source[0] == before.source[-1] + 1
                and alignment.source[after.source[0]].kind is not BlockKind.HEADING
            )
            if follows_image or (continuous and next_is_body):
                found.add(j)
    return frozenset(found)
