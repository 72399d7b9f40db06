"""Render Markdown into a complete, self-contained HTML page with Python-Markdown.

The articles are CommonMark; html_flavour rewrites them first into the Markdown
Python-Markdown reads with the same structure (lists above all)."""

from __future__ import annotations

import html
import re
import string
from dataclasses import replace
from functools import lru_cache

import markdown

from pipeline.build.blockwise import render_by_blocks
from pipeline.build.flavour import for_python_markdown
from pipeline.build.inline_filter import FilteredInlineProcessor, can_filter
from pipeline.read.extensions import Container, for_html

#: A small built-in stylesheet; pages load nothing from outside.
STYLESHEET = """
body { font: 17px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
h1 { line-height: 1.2; margin-bottom: .2rem; }
.meta { color: #666; margin-top: 0; }
pre, code { font-family: ui-monospace, monospace; font-size: .92em; background: #f4f4f6; }
pre { padding: .8rem; overflow-x: auto; }
blockquote { border-left: 4px solid #ccd; margin-left: 0; padding-left: 1rem; color: #444; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccd; padding: .3rem .6rem; }
.untranslated { background: #fff4d6; outline: 1px dashed #d9a400; }
.untranslated::before { content: attr(data-note); display: block; font-size: .75rem; color: #8a6a00; }
""".strip()
#: Added only to pages with admonitions, so other pages stay as they were.
ADMONITION_STYLE = """
.admonition, details { border-left: 4px solid #7a9; background: #f6faf7; padding: .1rem 1rem; margin: 1rem 0; }
.admonition-title, summary { font-weight: 600; }
""".strip()
#: Without the review markers' rules: a published page has no such blocks.
PUBLISHED_STYLESHEET = "\n".join(line for line in STYLESHEET.split("\n") if not line.startswith(".untranslated"))


def render_markdown_html(text: str) -> str:
    """Markdown (without front matter) to an HTML fragment with the block
    structure CommonMark gives it (see html_flavour). Site markup is not shown
    (see :func:`pipeline.read.extensions.for_html`): its lines are left out,
    code shortcodes and components become code, admonitions ``<div>``s."""
    parts = for_html(text)
    if len(parts) == 1 and isinstance(parts[0], str):
        return _convert(parts[0])
    # Each admonition is rendered on its own and stands in the page as a
    # placeholder paragraph until then: Python-Markdown without md_in_html does
    # not read Markdown inside a <div>, and the converter is used by one call at a time.
    # A footnote reference inside a container is rendered by the page's own
    # pass, where its definition is: the placeholder paragraph carries the
    # references, and their links replace markers in the container's HTML.
    rendered: dict[str, tuple[str, list[str]]] = {}
    pieces: list[str] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        token = f"l10nadmonition{len(rendered)}x{len(text)}"
        references: list[str] = []

        def mark(match: re.Match[str], token: str = token, references: list[str] = references) -> str:
            references.append(match.group(0))
            return f"{token}fn{len(references) - 1}x"

        body = _FOOTNOTE_REFERENCE.sub(mark, part.body) if "[^" in part.body else part.body
        rendered[token] = (_container_html(replace(part, body=body)), references)
        # Inside a list item the placeholder is indented as the container was.
        pieces.append(f"\n\n{part.indent}{token}{''.join(' ' + r for r in references)}\n\n")
    fragment = _convert("\n".join(pieces))
    for token, (html_text, references) in rendered.items():
        placeholder = re.search(rf"<p>{token}(.*?)</p>", fragment, re.DOTALL) or re.search(
            rf"{token}((?:\s*<sup[^>]*>.*?</sup>)*)", fragment, re.DOTALL  # in a tight list item: no <p>
        )
        if placeholder is None:
            continue
        links = _FOOTNOTE_LINK.findall(placeholder.group(1))
        if len(links) != len(references):  # a reference without a definition: as written
            links = references
        for index, link in enumerate(links):
            html_text = html_text.replace(f"{token}fn{index}x", link, 1)
        fragment = fragment[: placeholder.start()] + html_text + fragment[placeholder.end() :]
    return fragment


_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\](?!:)")
_FOOTNOTE_LINK = re.compile(r'<sup id="fnref[^"]*">.*?</sup>')


def _convert(text: str) -> str:
    # Block by block where the page allows it: a block seen before is not rendered again.
    by_blocks = render_by_blocks(text, _convert_flavoured)
    return _convert_flavoured(for_python_markdown(text)) if by_blocks is None else by_blocks


def _convert_flavoured(text: str) -> str:
    """Python-Markdown's HTML of ``text``, already in its flavour."""
    converter = _converter()
    converter.reset()
    return converter.convert(text)


def _container_html(container: Container) -> str:
    body = render_markdown_html(container.body)
    kind = html.escape(container.kind, quote=True)
    title = html.escape(container.title)
    if container.details:
        opened = " open" if container.details == "open" else ""
        return f'<details class="{kind}"{opened}>\n<summary>{title}</summary>\n{body}\n</details>'
    heading = f'<p class="admonition-title">{title}</p>\n' if title else ""
    return f'<div class="admonition {kind}">\n{heading}{body}\n</div>'


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    # One converter, reset before each use, as Python-Markdown documents; making
    # one per article costs a sixth of the rendering. No attr_list:
    # "{: onclick=...}" in a translation would become an attribute.
    # sane_lists: an ordered list keeps its start number, and a bulleted and a
    # numbered list next to each other stay two lists, as in CommonMark.
    converter = markdown.Markdown(
        extensions=["tables", "fenced_code", "footnotes", "sane_lists"], output_format="html"
    )
    # CommonMark lets a backslash escape any ASCII punctuation, and the articles are
    # split and rebuilt (escapes and all) as CommonMark: "\~~~" must not show its
    # backslash in the page.
    converter.ESCAPED_CHARS = sorted(set(converter.ESCAPED_CHARS) | set(string.punctuation))
    if can_filter():
        # The same inline pass, without the patterns a text cannot match: a
        # fifth of the rendering went into trying them (see inline_filter).
        converter.treeprocessors.register(FilteredInlineProcessor(converter), "inline", _INLINE_PRIORITY)
    return converter


#: Where Python-Markdown registers its inline tree processor (first, before prettify).
_INLINE_PRIORITY = 20


def fallback_attributes(lang: str, *, publish: bool) -> str:
    """The attributes of an element shown in the source language ``lang`` (""
    for none): its language, so that readers and screen readers get it right,
    and for review a class to style and a note."""
    if not lang:
        return ""
    marked = f' lang="{html.escape(lang, quote=True)}"'
    if publish:
        return marked
    note = html.escape(f"not yet translated ({lang})", quote=True)
    return f'{marked} class="untranslated" data-note="{note}"'


def render_page(
    body_html: str,
    *,
    lang: str,
    title: str,
    date_text: str = "",
    description: str = "",
    date_iso: str = "",
    publish: bool = False,
    title_lang: str = "",
) -> str:
    """A complete HTML5 page around an already rendered body; ``date_iso``
    (YYYY-MM-DD) is the machine-readable date of ``date_text``; ``title_lang``:
    the language of a title shown untranslated (in the source language)."""
    stamp = f' datetime="{html.escape(date_iso, quote=True)}"' if date_iso else ""
    meta = f'<p class="meta"><time{stamp}>{html.escape(date_text)}</time></p>\n' if date_text else ""
    description_tag = (
        f'<meta name="description" content="{html.escape(description, quote=True)}">\n' if description else ""
    )
    heading = f"<h1{fallback_attributes(title_lang, publish=publish)}>{html.escape(title)}</h1>\n" if title else ""
    admonitions = '<div class="admonition ' in body_html or "<details class=" in body_html
    extra_style = ADMONITION_STYLE + "\n" if admonitions else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title or 'Untitled')}</title>\n"
        f"{description_tag}"
        f"<style>\n{PUBLISHED_STYLESHEET if publish else STYLESHEET}\n{extra_style}</style>\n"
        "</head>\n"
        "<body>\n<article>\n"
        f"<header>\n{heading}{meta}</header>\n"
        f"{body_html}\n"
        "</article>\n</body>\n</html>\n"
    )
