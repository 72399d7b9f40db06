"""Python-Markdown's inline pass, without trying patterns that cannot match.

Python-Markdown tries every inline pattern on every piece of text, one regular
expression search and a few Python calls each, and most pieces of an article hold
none of the characters most patterns need (a link needs "[", an entity "&", code
"`"). :class:`FilteredInlineProcessor` skips a pattern on a piece of text that
lacks what its expression needs, which is exactly what trying it would have done:
no match, the next pattern, from the start of the text. A pattern is only skipped
when its expression is one listed in :data:`NEEDS`, read one by one; any other
(another Python-Markdown version, an extension) is always tried, as before; and
the filter is used only where Python-Markdown's loop is one it repeats word for
word (:data:`KNOWN_LOOPS`), any other renders unfiltered.
"""

from __future__ import annotations

import hashlib
import inspect
from functools import cache
from typing import Any

from markdown import util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor

#: An inline pattern's expression -> a substring every match holds, or a tuple
#: of substrings of which every match holds one.
NEEDS: dict[str, str | tuple[str, ...]] = {
    # backtick: a backtick, after an even run of backslashes or not
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "`",
    r"\\(.)": "\\",  # escape
    r"\[\^([^\]]*)\]": "[^",  # footnote reference
    r"(?<!\!)\[": "[",  # reference, link, short reference
    r"\!\[": "![",  # image link, image reference, short image reference
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": "://",  # autolink
    r"<([^<> !]+@[^@<> ]+)>": "@",  # automail
    r"  \n": "  \n",  # line break
    # raw HTML: a tag, comment, processing instruction or CDATA between "<" and ">"
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
    r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""": "<",
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": "&",  # entity
    r"\*|_": ("*", "_"),  # emphasis and strong (Python-Markdown 3.8 and later)
}


class FilteredInlineProcessor(InlineProcessor):
    """Python-Markdown's ``inline`` tree processor that passes over a pattern
    which cannot match a text (see the module's docstring)."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The registry as it stands for this document, in the order the
        # processor indexes it, and what each pattern needs (None: always tried).
        self._patterns = list(self.inlinePatterns)
        self._needs = [
            NEEDS.get(getattr(getattr(p, "compiled_re", None), "pattern", None) or "") if isinstance(p, InlinePattern) else None
            for p in self._patterns
        ]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        # Python-Markdown's own loop (InlineProcessor.__handleInline), with a skip
        # where the pattern's search could not find anything: what the search
        # would then have returned is (data, False, 0).
        if not isinstance(data, util.AtomicString):
            patterns = self._patterns
            needs = self._needs
            apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
            start = 0
            count = len(patterns)
            while patternIndex < count:
                need = needs[patternIndex]
                if need is not None and (
                    need not in data if type(need) is str else not any(part in data for part in need)
                ):
                    start = 0
                    patternIndex += 1
                    continue
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


#: SHA-256 of the source of Python-Markdown's inline loop and pattern step
#: (``InlineProcessor.__handleInline`` and ``__applyPattern``) in the versions
#: whose loop :class:`FilteredInlineProcessor` repeats (3.11.4).
KNOWN_LOOPS = frozenset({"7bb364a981d1d753117d7f8b210cc3de6fab253eae16d16bd9c597b7f11d50e9"})


@cache
def can_filter() -> bool:
    """Whether this Python-Markdown's inline loop is one the filter repeats: the
    same source, word for word. Any other version renders with its own loop
    (the same HTML, without the skips)."""
    try:
        loop = inspect.getsource(InlineProcessor._InlineProcessor__handleInline)  # type: ignore[attr-defined]
        step = inspect.getsource(InlineProcessor._InlineProcessor__applyPattern)  # type: ignore[attr-defined]
    except (AttributeError, OSError, TypeError):
        return False
    return hashlib.sha256((loop + step).encode()).hexdigest() in KNOWN_LOOPS
