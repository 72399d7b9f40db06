"""The few words of page chrome the build writes itself, per language.

The articles' own text comes from the PO files; these labels are the build's,
so they live here: a small table, English for a language it does not list
(a page must never show a label in the wrong language with the target's code
pasted on, as "Articles (cs)" did)."""

from __future__ import annotations

#: label -> language -> text; "en" is the fallback of every label.
LABELS: dict[str, dict[str, str]] = {
    "articles": {"en": "Articles", "cs": "Články", "de": "Artikel", "sk": "Články", "pl": "Artykuły"},
    "not built": {
        "en": "not translated yet",
        "cs": "zatím nepřeloženo",
        "de": "noch nicht übersetzt",
        "sk": "zatiaľ nepreložené",
        "pl": "jeszcze nieprzetłumaczone",
    },
}


def label(name: str, lang: str) -> str:
    """``name``'s text in ``lang`` (its base language for "pt_BR" or "de-AT"),
    else in English."""
    texts = LABELS[name]
    base = lang.replace("-", "_").split("_")[0].lower()
    return texts.get(lang, texts.get(base, texts["en"]))
