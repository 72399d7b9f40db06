from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from pipeline.check.report import (
    ArticleResult,
    render_github,
    render_json,
    render_junit,
    render_status,
    render_text,
    to_json,
)
from pipeline.model import Finding, Severity

PO = "locales/cs/LC_MESSAGES/day-2.po"
RESULTS = [
    ArticleResult(
        slug="day-2", lang="cs", po=PO, total=60, translated=50, fuzzy=0, missing=10, untranslated=0,
        findings=(
            Finding("missing", Severity.ERROR, PO, 120, "no translation", "Kuma is easy, to deploy: 100%"),
            Finding("numbers", Severity.WARNING, PO, 130, "number(s) 15 not in the translation", "15 ms"),
        ),
    ),
    ArticleResult(slug="day-1", lang="cs", po="locales/cs/LC_MESSAGES/day-1.po", total=5, translated=5,
                  fuzzy=0, missing=0, untranslated=0, findings=()),
]


def test_json_has_the_documented_shape() -> None:
    data = json.loads(render_json(RESULTS))
    assert data["ok"] is False
    article = data["languages"]["cs"]["articles"][0]
    assert set(article) == {"slug", "po", "total", "translated", "fuzzy", "missing", "untranslated", "findings"}
    assert article["findings"][0] == {
        "check": "missing", "severity": "error", "file": PO, "line": 120,
        "msgid": "Kuma is easy, to deploy: 100%", "message": "no translation",
    }
    assert json.loads(render_json(RESULTS[1:]))["ok"] is True


def test_json_is_the_documented_data_with_one_finding_per_line() -> None:
    german = ArticleResult("day-2", "de", "de.po", 1, 0, 0, 1, 0, (Finding("missing", Severity.ERROR, "de.po", 3, 'a "quoted"\nline', "x"),))
    for results in ([], RESULTS, RESULTS + [german]):
        text = render_json(results)
        assert json.loads(text) == to_json(results)
    lines = render_json(RESULTS).splitlines()
    assert sum(1 for line in lines if line.lstrip().startswith('{"check"')) == 2


def test_github_annotations_escape_properties_and_data() -> None:
    lines = render_github(RESULTS).splitlines()
    assert lines[0] == (
        f"::error file={PO},line=120,title=l10n missing::no translation: Kuma is easy, to deploy: 100%25"
    )
    assert lines[1].startswith("::warning file=")


def test_junit_suite_per_language_case_per_article() -> None:
    root = ET.fromstring(render_junit(RESULTS).split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "cs" and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["day-2", "day-1"]
    failure = cases[0].find("failure")
    assert failure is not None and f"{PO}:120: missing" in (failure.text or "")
    assert cases[1].find("failure") is None


def test_text_and_status_for_people() -> None:
    text = render_text(RESULTS)
    assert f"{PO}:120: error missing: no translation" in text
    assert text.strip().endswith("check failed: 2 article(s), 1 error(s), 1 warning(s)")
    status = render_status(RESULTS)
    assert "day-2" in status and "83" in status


def test_brackets_and_colons_are_printed_as_written_not_read_as_console_markup() -> None:
    po = "locales/cs/LC_MESSAGES/[draft].po"
    msgid = "Close it with [/bold], see [the docs](https://x.io) in C:\\Users\\"
    result = ArticleResult(
        slug="draft", lang="cs", po=po, total=1, translated=0, fuzzy=0, missing=1, untranslated=0,
        findings=(Finding("missing", Severity.ERROR, po, 100, "no translation [sic] :smile:", msgid),),
    )
    text = render_text([result], color=True)
    # ":100:" is a line number, not an emoji code.
    assert f"{po}:100:" in text and "no translation [sic] :smile:" in text
    assert "Close it with [/bold], see [the docs](https://x.io) in C:\\Users\\\n" in text
