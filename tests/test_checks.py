"""Each check with an entry that triggers it and one that does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.check.checks import (
    CheckContext,
    Entry,
    KeepList,
    check_addenda,
    check_fuzzy,
    check_markup,
    check_missing,
    check_numbers,
    check_stale,
    check_structure,
    check_untranslated,
    markup_of,
    numbers_of,
    run_checks,
)
from pipeline.config import parse_check
from pipeline.errors import ConfigError
from pipeline.model import Segment, Severity


def entry(msgid: str, msgstr: str, *, kind: str = "paragraph", fuzzy: bool = False, obsolete: bool = False,
          ctxt: str = "", line: int = 10, comment: str = "") -> Entry:
    return Entry(msgid, msgstr, ctxt, fuzzy, obsolete, line, kind, comment or kind)


def ctx(*entries: Entry, **kw: object) -> CheckContext:
    return CheckContext(path="locales/cs/LC_MESSAGES/a.po", lang="cs", source_lang="en", entries=entries, **kw)  # type: ignore[arg-type]


def names(findings: object) -> list[str]:
    return [f.check for f in findings]  # type: ignore[attr-defined]


def test_missing() -> None:
    empty = entry("Kuma is easy to deploy", "")
    done = entry("Kuma is easy to deploy", "Kuma se snadno nasazuje")
    assert names(check_missing(empty, ctx(empty))) == ["missing"]
    assert names(check_missing(done, ctx(done))) == []
    assert names(check_missing(entry("x", "", obsolete=True), ctx())) == []


def test_fuzzy() -> None:
    fuzzy = entry("Hello there", "Ahoj", fuzzy=True)
    assert names(check_fuzzy(fuzzy, ctx(fuzzy))) == ["fuzzy"]
    assert names(check_fuzzy(entry("Hello there", "Ahoj"), ctx())) == []


def test_untranslated_copy_but_kept_headings_terms_and_quotes() -> None:
    copied = entry("This talk was one big feature showcase.", "This talk was one big feature showcase.")
    assert names(check_untranslated(copied, ctx(copied))) == ["untranslated"]
    title = entry("The Service Mesh Wars: A New Hope", "The Service Mesh Wars: A New Hope", kind="heading")
    assert names(check_untranslated(title, ctx(title))) == []
    quote = entry("Cloud Native Rejekts is the b-side conference.", "Cloud Native Rejekts is the b-side conference.", kind="quote")
    assert names(check_untranslated(quote, ctx(quote))) == []
    term = entry("Lightning talks at the end", "Lightning talks at the end")
    keep = KeepList(patterns=(re.compile(r"Lightning talks.*"),))
    assert names(check_untranslated(term, ctx(term, keep=keep))) == []
    assert names(check_untranslated(entry("Kubernetes", "Kubernetes"), ctx())) == []


def test_a_lone_link_to_a_web_page_may_keep_the_pages_title() -> None:
    # Security-101's "Further reading" lists: the Czech keeps each English page's title.
    title = "[What is SIEM? | Microsoft Security][1]"
    cited = entry(title, title, kind="list_item", comment="list_item\n[1]: https://www.microsoft.com/security/business/security-101/what-is-siem")
    assert names(check_untranslated(cited, ctx(cited))) == []
    inline = entry("[OWASP Cheat Sheet Series | OWASP Foundation](https://cheatsheetseries.owasp.org/).",
                   "[OWASP Cheat Sheet Series | OWASP Foundation](https://cheatsheetseries.owasp.org/).")
    assert names(check_untranslated(inline, ctx(inline))) == []
    # Not a citation: a link to a page of the site, text around the link, or the key turned off.
    local = entry(title, title, comment="paragraph\n[1]: ../guide/siem.md")
    assert names(check_untranslated(local, ctx(local))) == ["untranslated"]
    sentence = "Read [What is SIEM? | Microsoft Security][1] before the lesson."
    around = entry(sentence, sentence, comment="paragraph\n[1]: https://www.microsoft.com/siem")
    assert names(check_untranslated(around, ctx(around))) == ["untranslated"]
    assert names(check_untranslated(cited, ctx(cited, keep=KeepList(citations=False)))) == ["untranslated"]


def test_untranslated_by_language_detection_only_when_it_matters() -> None:
    calls: list[str] = []

    def classify(source: Segment, target: Segment, previous_source: Segment | None = None) -> str:
        calls.append(target.text)
        return "untranslated" if "English" in target.text else "partial" if "mixed" in target.text else "translated"

    english = entry("Source paragraph in English here.", "A different paragraph, but in English all the same.")
    assert names(check_untranslated(english, ctx(english, classify=classify))) == ["untranslated"]
    mixed = entry("Source paragraph.", "Český odstavec a pak mixed sentence in the other language.")
    assert names(check_untranslated(mixed, ctx(mixed, classify=classify))) == ["partial"]
    short = entry("Source.", "Two words")
    calls.clear()
    assert names(check_untranslated(short, ctx(short, classify=classify))) == []
    assert calls == []


def test_markup() -> None:
    good = entry("Use `kubectl` and [docs](https://k8s.io) **now**", "Použij `kubectl` a [dokumentaci](https://k8s.io) **hned**")
    assert names(check_markup(good, ctx(good))) == []
    bad = entry("Use `kubectl` and [docs](https://k8s.io)", "Použij kubectl a [dokumentaci](https://example.com)")
    findings = list(check_markup(bad, ctx(bad)))
    assert sorted(f.message.split(" differs")[0] for f in findings) == ["inline code", "link target"]
    assert markup_of("see https://x.io/a.")["URL"] == {"https://x.io/a": 1}
    assert markup_of("![alt](i.png) and [^1]")["footnote"] == {"1": 1}


def test_markup_of_placeholder_msgids_counts_labels() -> None:
    msgid = "Read [the guide][1] and then [the FAQ][2]."
    reordered = entry(msgid, "Nejdřív [FAQ][2], pak [průvodce][1].")
    assert names(check_markup(reordered, ctx(reordered))) == []
    dropped = entry(msgid, "Přečtěte si [průvodce][1].")
    assert [f.message for f in check_markup(dropped, ctx(dropped))] == ["link target differs from the source: missing '2'"]
    doubled = entry(msgid, "[Průvodce][1], [průvodce][1] a [FAQ][2].")
    assert [f.message for f in check_markup(doubled, ctx(doubled))] == ["link target differs from the source: unexpected '1'"]
    # A label is no number of the text.
    assert names(check_numbers(reordered, ctx(reordered))) == []


def test_markup_finds_an_autolink_or_an_image_label_the_source_has_not() -> None:
    added = entry("Install it with [Helm][1].", "Nainstalujte jej pomocí [Helmu][1], viz <https://evil.example>.")
    assert [f.message for f in check_markup(added, ctx(added))] == ["URL differs from the source: unexpected 'https://evil.example'"]
    kept = entry("Install it, see <https://kuma.io/install>.", "Nainstalujte jej, viz <https://kuma.io/install>.")
    assert names(check_markup(kept, ctx(kept))) == []
    swapped = entry("Read [the guide][1] and see ![the logo][2].", "Přečtěte si ![průvodce][1] a [logo][2].")
    assert names(check_markup(swapped, ctx(swapped))) == ["markup"]


@pytest.mark.parametrize(
    ("english", "czech"),
    [
        # Security-101: the colon moves out of the bold term, and a bold run ends after a parenthesis.
        ("**Image Security:** Container images can contain vulnerabilities.", "**Zabezpečení obrazů**: Obrazy kontejnerů mohou obsahovat zranitelnosti."),
        ("**Select the right SIEM (Security Information and Event Management) tool**:",
         "**Výběr správného nástroje SIEM (Security Information and Event Management)**:"),
    ],
)
def test_a_bold_run_closing_beside_punctuation_is_one_closing_marker(english: str, czech: str) -> None:
    good = entry(english, czech)
    assert names(check_markup(good, ctx(good))) == []


def test_emphasis_must_close_as_in_the_source() -> None:
    closed = entry("Read the **details** and _why_ in snake_case_name", "Přečtěte si **podrobnosti** a _proč_ v snake_case_name")
    assert names(check_markup(closed, ctx(closed))) == []
    # A Czech case ending after a bold name: the emphasis still closes there.
    inflected = entry("Written in **Rust** by **Kubernetes** users.", "Napsáno v **Rust**u uživateli **Kubernetes**u.")
    assert names(check_markup(inflected, ctx(inflected))) == []
    # Never closed, the "**" is literal text: the translation lost the bold span.
    unclosed = entry("Read the **details** now.", "Přečtěte si **podrobnosti teď.")
    (finding,) = check_markup(unclosed, ctx(unclosed))
    assert finding.message == "emphasis marker differs from the source: missing '**', '…**'"


def test_emphasis_nested_by_the_rule_of_three_is_one_emphasis_and_one_strong() -> None:
    # CommonMark reads "*foo**bar**baz*" as <em>foo<strong>bar</strong>baz</em>, as it
    # reads "*foo **bar** baz*": no difference, though the delimiter runs differ.
    nested = entry("Use *foo**bar**baz* here.", "Použijte *foo **bar** baz* zde.")
    assert names(check_markup(nested, ctx(nested))) == []
    lost = entry("Use *foo**bar**baz* here.", "Použijte *foo bar baz* zde.")
    assert names(check_markup(lost, ctx(lost))) == ["markup"]


def test_emphasis_is_compared_as_rendered() -> None:
    # AdGuard DNS docs (Crowdin): "*" and "_" write the same emphasis, and a star that
    # opens nothing is literal text, which the translation may escape.
    swapped = entry("Select *Primary DNS* and **Save**.", "Vyberte _Primární DNS_ a __Uložit__.")
    assert names(check_markup(swapped, ctx(swapped))) == []
    literal = entry("![Logging *border][1]", "![Protokolování \\*border][1]")
    assert names(check_markup(literal, ctx(literal))) == []
    nested = entry("**Hold down *Win* and press *S***", "**Podržte *Win* a stiskněte *S***")  # one run closes two
    assert names(check_markup(nested, ctx(nested))) == []
    lost = entry("Select *Primary DNS*.", "Vyberte Primární DNS.")
    assert [f.message for f in check_markup(lost, ctx(lost))] == ["emphasis marker differs from the source: missing '*', '…*'"]


def test_bold_italic_is_one_emphasis_and_one_strong_span_however_written() -> None:
    # "***x***" renders as "_**x**_" and "**_x_**" do (<em><strong>): one of each.
    for czech in ("Je to _**důležité**_.", "Je to **_důležité_**.", "Je to *__důležité__*.", "Je to ***důležité***."):
        same = entry("It is ***important***.", czech)
        assert names(check_markup(same, ctx(same))) == [], czech
    lost = entry("It is ***important***.", "Je to **důležité**.")
    assert [f.message for f in check_markup(lost, ctx(lost))] == ["emphasis marker differs from the source: missing '*', '…*'"]
    twice = entry("A ****double**** one", "Jeden **__dvojitý__**")  # two strong spans, as CommonMark reads four
    assert names(check_markup(twice, ctx(twice))) == []


def test_emphasis_beside_a_code_span_counts() -> None:
    # CommonMark reads "**`--force`**" as bold: a backtick is punctuation beside the run.
    lost = entry("Set **`--force`** to skip it.", "Nastavte `--force`, aby se přeskočilo.")
    assert [f.message for f in check_markup(lost, ctx(lost))] == ["emphasis marker differs from the source: missing '**', '…**'"]
    kept = entry("**Use `kubectl`** first.", "**Nejprve použijte `kubectl` příkaz**.")
    assert names(check_markup(kept, ctx(kept))) == []
    escaped = entry("A *\\* star*", "Hvězdička *\\* zde*")
    assert names(check_markup(escaped, ctx(escaped))) == []


def test_structure_what_the_build_would_not_use() -> None:
    from pipeline.build.article import broken_markup

    split = entry("Second item", "Druhá\n\npoložka")
    (finding,) = check_structure(split, ctx(split))
    assert finding.check == "structure" and finding.message.startswith("a blank line would split the block")
    assert broken_markup(split.msgstr, split.msgid)  # the build falls back on exactly these
    link = entry("See [the docs](https://k8s.io).", "Viz [dokumentaci(https://k8s.io).")
    assert names(check_structure(link, ctx(link))) == ["structure"]
    note = entry("[^1]: The footnote text.", "Text poznámky. [^1]:")
    assert [f.message for f in check_structure(note, ctx(note))] == [
        "a footnote definition must start with [^1]:; the build shows the source text"
    ]
    kept = entry("[^1]: The footnote text.", "[^1]: Text poznámky.")
    assert names(check_structure(kept, ctx(kept))) == []
    fine = entry("See [the docs](https://k8s.io).", "Viz [dokumentaci](https://k8s.io).")
    assert names(check_structure(fine, ctx(fine))) == [] and broken_markup(fine.msgstr, fine.msgid) == ""


def test_numbers_allow_czech_formats() -> None:
    assert numbers_of("1,5 GB a 10 000 uzlů", "cs") == numbers_of("1.5 GB and 10,000 nodes", "en")
    good = entry("It took 15 ms on April 1.", "Trvalo to 15 ms 1. 4.")
    assert names(check_numbers(good, ctx(good))) == []
    bad = entry("It took 15 ms.", "Trvalo to 50 ms.")
    assert names(check_numbers(bad, ctx(bad))) == ["numbers"]


def test_stale_and_addenda() -> None:
    a = entry("Kept paragraph", "Odstavec")
    old = entry("Removed from the source", "Odstraněno", line=20)
    context = ctx(a, old, expected=frozenset({("", "Kept paragraph"), ("", "New paragraph")}))
    findings = list(check_stale(context))
    assert [(f.check, f.line) for f in findings] == [("stale", 1), ("stale", 20)]
    fresh = ctx(a, expected=frozenset({("", "Kept paragraph")}))
    assert list(check_stale(fresh)) == []
    anchored = ctx(a, addenda_anchors=((("", "Kept paragraph"), 3), (("", "Gone"), 7)))
    assert [(f.check, f.line) for f in check_addenda(anchored)] == [("addenda", 7)]


def test_run_checks_applies_configured_severities() -> None:
    fuzzy = entry("Hello there", "Ahoj", fuzzy=True)
    empty = entry("Other text", "", line=12)
    result = run_checks(ctx(fuzzy, empty), parse_check({"fuzzy_is_warning": True}, "pyproject.toml").severities())
    assert [(f.check, f.severity) for f in result] == [("fuzzy", Severity.WARNING), ("missing", Severity.ERROR)]
    strict = run_checks(ctx(fuzzy), parse_check({"fuzzy_is_warning": True}, "pyproject.toml").severities(strict=True))
    assert strict[0].severity is Severity.ERROR
    with pytest.raises(ConfigError, match="error, warning or info"):
        parse_check({"severity": {"fuzzy": "fatal"}}, "pyproject.toml")
    with pytest.raises(ConfigError, match="names no check"):
        parse_check({"severity": {"fuzy": "warning"}}, "pyproject.toml")


def test_terminology_allows_czech_inflection() -> None:
    from pipeline.check.checks import (
        CheckContext,
        Entry,
        check_terminology,
        term_present,
    )

    assert term_present("služba", "Nasadili jsme dvě služby.") and term_present("služba", "bez služeb")
    assert term_present("klastr", "v klastrů") and term_present("žádost o sloučení", "Otevřete žádosti ke sloučení")
    assert not term_present("klastr", "ve shluku")
    glossary = {"cluster": "klastr", "Kubernetes": "Kubernetes"}
    ctx = CheckContext(path="a.po", lang="cs", source_lang="en", entries=(), glossary=glossary)
    ok = Entry("Two Kubernetes clusters", "Dva klastry Kubernetesu", "", False, False, 3)
    bad = Entry("Scale the cluster", "Škálujte shluk", "", False, False, 4)
    assert list(check_terminology(ok, ctx)) == []
    (finding,) = check_terminology(bad, ctx)
    assert finding.check == "terminology" and finding.line == 4 and "'klastr'" in finding.message


SEC101 = Path(__file__).resolve().parents[1] / "bench" / "data" / "heldout-sec101"


def sec101_line(name: str, lang: str, needle: str) -> str:
    text = (SEC101 / f"sec101-{name}.{lang}.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if needle in line)


def test_markup_takes_a_localized_copy_of_a_labels_file_for_the_label() -> None:
    # A Security-101 lesson as `l10n run` imports it: the video thumbnail
    # points at Co-op Translator's localized copy of the image.
    legacy = sec101_line("3.1-networking-key-concepts", "cs", "Sledujte video")
    source = sec101_line("3.1-networking-key-concepts", "en", "Watch the video")
    image, video = source[source.index("](") + 2 : source.index(")")], source[source.rindex("(") + 1 : -1]
    localized = legacy[legacy.index("](") + 2 : legacy.index(")")]
    notes = f"paragraph\n[1]: {image}\n[2]: {video}"
    copy = entry("[![Watch the video][1]][2]", f"[![Sledujte video]({localized})][2]", comment=notes)
    assert list(check_markup(copy, ctx(copy))) == []
    # The same without placeholders: the msgid holds the links.
    inline = entry(source, legacy)
    assert list(check_markup(inline, ctx(inline))) == []
    # A copy of another image, a changed video address, a link for the image: errors still.
    other = entry(copy.msgid, copy.msgstr.replace("3-1_placeholder", "3-2_placeholder"), comment=notes)
    assert [f.message for f in check_markup(other, ctx(other))] == [
        f"link target differs from the source: missing '1'; unexpected '{localized.replace('3-1_', '3-2_')}'",
        "image differs from the source: missing '1'",
    ]
    moved = entry(source, legacy.replace("https://learn-video", "https://example"))
    assert [f.message.split(":")[0] for f in check_markup(moved, ctx(moved))] == ["link target differs from the source"]
    as_link = entry(copy.msgid, copy.msgstr.replace("[![", "[["), comment=notes)
    assert [f.message.split(":")[0] for f in check_markup(as_link, ctx(as_link))] == [
        "link target differs from the source",
        "image differs from the source",
    ]
    # A page's localized copy, as Docusaurus and Hugo name them, in place of a link.
    page = entry("Read [the guide][1].", "Přečtěte si [průvodce](../docs/guide.cs.md#instalace).", comment="paragraph\n[1]: ../docs/guide.md")
    assert list(check_markup(page, ctx(page))) == []
    other_page = entry(page.msgid, "Přečtěte si [průvodce](../docs/faq.cs.md).", comment=page.comment)
    assert names(check_markup(other_page, ctx(other_page))) == ["markup"]
