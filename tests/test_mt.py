"""DeepL wrapper: markup protection, batching, glossary and error mapping.

The real ``deepl`` client runs against the local fake server of
``tests/fake_deepl.py``; nothing leaves the machine.
"""

from __future__ import annotations

import json
import logging
import socket

import deepl
import pytest
from fake_deepl import FakeDeepL, fake, fast_client  # noqa: F401  (fixtures)
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError, ProblemsFound
from pipeline.mt.deepl import (
    MAX_REQUEST_BYTES,
    DeepLEngine,
    MarkupLost,
    engine_from_env,
    glossary_hash,
    plan_batches,
    protect,
    restore,
    source_code,
    target_code,
)


def engine_for(fake: FakeDeepL, *, key: str | None = None, glossary: dict[str, str] | None = None) -> DeepLEngine:
    return DeepLEngine(key or fake.key, source_lang="en", target_lang="cs", glossary=glossary, server_url=fake.url)


# --------------------------------------------------------------------------
# Markup protection.

SAMPLES = [
    "Run `kubectl get pods` in **the** [cluster docs](https://k8s.io/docs \"Docs\") now.",
    "An image ![diagram](img/a.png) and <br> and <https://example.com> & 1 < 2 > 0.",
    "snake_case_name stays, *emphasis* and __strong__ move, \\* is escaped [^1].",
    "[![badge](b.svg)](https://ci) ``code with ` tick`` and `unclosed",
    "A hard break\\\nand a [reference link][ref] and [not a link] and a lone ] or [.",
    "Nested **bold with `code` and [link](u)** end",
    "Link with parens [x](https://en.wikipedia.org/wiki/Foo_(bar)) done",
    "&amp; stays literal, <!-- a comment --> too, and <span class=\"x\">html</span>.",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_protect_restore_round_trip(text: str) -> None:
    protected = protect(text)
    assert restore(protected.xml, protected) == text


def test_protect_sends_markup_as_tags_and_text_as_text() -> None:
    protected = protect("Run `kubectl apply -f x.yaml` with [the docs](https://k8s.io \"T\") **now**.")
    assert protected.xml == 'Run <x i="0"/> with <a i="1">the docs</a> <e i="2">now</e>.'
    assert "kubectl" not in protected.xml and "k8s.io" not in protected.xml
    # Tags are not billed: only "Run ", " with ", "the docs", " ", "now", "."
    assert protected.billable == len("Run  with the docs now.")


def test_restore_follows_moved_elements() -> None:
    protected = protect("Read [the guide](https://g.example) **today**.")
    translated = 'Přečtěte si <e i="1">dnes</e> <a i="0">průvodce</a>.'
    assert restore(translated, protected) == "Přečtěte si **dnes** [průvodce](https://g.example)."


def test_placeholder_msgids_send_the_link_text_and_keep_the_label() -> None:
    # The msgid form of pipeline.read.placeholders: DeepL sees the link text only.
    protected = protect("Read [the guide][1] and then [the FAQ][2], see ![the logo][3].")
    assert protected.xml == 'Read <a i="0">the guide</a> and then <a i="1">the FAQ</a>, see <x i="2"/>.'
    translated = 'Nejdřív <a i="1">FAQ</a>, pak <a i="0">průvodce</a>, viz <x i="2"/>.'
    assert restore(translated, protected) == "Nejdřív [FAQ][2], pak [průvodce][1], viz ![the logo][3]."


def test_restore_accepts_an_empty_element_for_a_placeholder() -> None:
    protected = protect("Use `x` here")
    assert restore('Použijte <x i="0"></x> zde', protected) == "Použijte `x` zde"


@pytest.mark.parametrize(
    "broken",
    [
        "Použijte zde",  # placeholder dropped
        'Použijte <x i="0"/> <x i="0"/> zde',  # duplicated
        'Použijte <x i="7"/> zde',  # unknown id
        'Použijte <e i="0">x</e> zde',  # wrong kind
        'Použijte <x i="0"/> zde <b>',  # foreign tag
        'Použijte <x i="0"/> < zde',  # stray bracket
    ],
)
def test_restore_rejects_broken_markup(broken: str) -> None:
    with pytest.raises(MarkupLost):
        restore(broken, protect("Use `x` here"))


def test_restore_rejects_unclosed_or_crossed_elements() -> None:
    protected = protect("**bold [link](u)**")
    with pytest.raises(MarkupLost):
        restore('<e i="0">tučně <a i="1">odkaz</e></a>', protected)
    with pytest.raises(MarkupLost):
        restore('<e i="0">tučně <a i="1">odkaz</a>', protected)


_PIECES = list("ab c`*_[]()!<>&\\;:/#^\"'\n") + ["é", "“", "x@y.z", "**", "](", "<br>", "<https:", "&lt;", "![", "``"]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_MARKDOWNISH)
def test_protect_restore_round_trip_property(text: str) -> None:
    protected = protect(text)
    assert restore(protected.xml, protected) == text


def test_text_without_letters_is_not_worth_sending() -> None:
    assert not protect("![logo](logo.png)").has_text
    assert not protect("`make test`").has_text
    assert protect("Run `make test`.").has_text


# --------------------------------------------------------------------------
# Batching and languages.


def test_batches_hold_at_most_50_texts() -> None:
    batches, oversized = plan_batches([f"text {i}" for i in range(120)])
    assert [len(b) for b in batches] == [50, 50, 20]
    assert [i for b in batches for i in b] == list(range(120))
    assert oversized == []


def test_batches_stay_under_the_request_size() -> None:
    texts = ["ž" * 10_000 for _ in range(12)]  # 60 KB each once JSON-escaped
    batches, oversized = plan_batches(texts)
    assert all(sum(len(json.dumps(texts[i])) for i in b) < MAX_REQUEST_BYTES for b in batches)
    assert len(batches) > 1 and not oversized
    _batches, too_big = plan_batches(["x" * (MAX_REQUEST_BYTES + 1), "small"])
    assert too_big == [0]


def test_language_codes() -> None:
    assert (source_code("en"), target_code("cs")) == ("EN", "CS")
    assert (target_code("en"), target_code("pt_BR"), target_code("de")) == ("EN-GB", "PT-BR", "DE")
    assert source_code("pt_BR") == "PT"


# --------------------------------------------------------------------------
# The client against the fake server.


def test_translate_sends_xml_with_ignored_placeholders_and_no_formality(fake: FakeDeepL) -> None:
    engine = engine_for(fake)
    texts = [protect("Run `ls` now.").xml, "Hello"]
    assert engine.translate(texts) == [('CS: Run <x i="0"/> now.', len("Run  now.")), ("CS: Hello", 5)]
    (request,) = fake.translate_requests()
    assert request.body["tag_handling"] == "xml"
    assert request.body["ignore_tags"] == ["x"]
    assert request.body["target_lang"] == "CS" and request.body["source_lang"] == "EN"
    assert "formality" not in request.body
    assert "glossary_id" not in request.body


def test_glossary_is_created_once_and_reused_by_name(fake: FakeDeepL) -> None:
    glossary = {"Kubernetes": "Kubernetes", "Rejekts": "Rejekts"}
    first = engine_for(fake, glossary=glossary)
    first.translate(["Kubernetes"])
    first.translate(["Rejekts"])
    second = engine_for(fake, glossary=glossary)
    second.translate(["Kubernetes again"])
    creations = [r for r in fake.requests if r.method == "POST" and r.path == "/v2/glossaries"]
    assert len(creations) == 1
    (info,) = fake.glossaries.values()
    assert info["name"].endswith(glossary_hash(glossary, "en", "cs"))
    assert creations[0].body["entries"] == "Kubernetes\tKubernetes\nRejekts\tRejekts"
    assert {r.body["glossary_id"] for r in fake.translate_requests()} == {info["glossary_id"]}


def test_a_changed_glossary_gets_a_new_name() -> None:
    assert glossary_hash({"a": "b"}, "en", "cs") != glossary_hash({"a": "c"}, "en", "cs")
    assert glossary_hash({}, "en", "cs") == ""


@pytest.mark.parametrize(
    ("status", "cause"),
    [(456, "DeepL quota exceeded: "), (403, "DeepL rejected the key: "), (500, "DeepL server error: "), (429, "DeepL is overloaded")],
)
def test_errors_are_one_line_and_name_the_cause(fake: FakeDeepL, status: int, cause: str) -> None:
    fake.script = [status]
    with pytest.raises(ProblemsFound) as info:
        engine_for(fake).translate(["Hello"])
    message = str(info.value)
    assert message.startswith(cause)
    assert "\n" not in message and fake.key not in message
    assert info.value.exit_code == 1


def test_a_wrong_key_is_rejected_and_never_shown(fake: FakeDeepL) -> None:
    with pytest.raises(ProblemsFound, match="^DeepL rejected the key: ") as info:
        engine_for(fake, key="wrong-secret-key").translate(["Hello"])
    assert "wrong-secret-key" not in str(info.value) and "wrong-secret-key" not in (info.value.hint or "")


def test_retries_429_and_5xx_then_succeeds(fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 3)
    fake.script = [429, 500, "ok"]
    assert engine_for(fake).translate(["Hello"]) == [("CS: Hello", 5)]
    assert len(fake.translate_requests()) == 3


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    # The client's default: five retries with backoff (15 s and more); nothing
    # listens on the port, so trying again cannot help.
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 5)
    sleeps: list[object] = []
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "sleep_until_deadline", lambda timer: sleeps.append(timer))
    engine = DeepLEngine("secret-key:fx", source_lang="en", target_lang="cs", server_url=f"http://127.0.0.1:{_unused_port()}")
    with pytest.raises(ProblemsFound, match="^DeepL unreachable: "):
        engine.translate(["Hello"])
    assert sleeps == [] and engine.requests == 1


def test_retries_are_set_per_engine_not_for_the_process(fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 5)
    fake.script = [503, 503, "ok"]
    few = DeepLEngine(fake.key, source_lang="en", target_lang="cs", server_url=fake.url, retries=1)
    with pytest.raises(ProblemsFound, match="^DeepL server error"):
        few.translate(["Hello"])
    assert len(fake.translate_requests()) == 2
    more = DeepLEngine(fake.key, source_lang="en", target_lang="cs", server_url=fake.url, retries=3)
    fake.script = [503, "ok"]
    assert more.translate(["Hello"]) == [("CS: Hello", 5)]
    assert deepl.http_client.max_network_retries == 5 and len(fake.translate_requests()) == 4


def test_no_connection_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = DeepLEngine("secret-key:fx", source_lang="en", target_lang="cs", server_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ProblemsFound, match="^DeepL unreachable: ") as info:
        engine.translate(["Hello"])
    assert "secret-key" not in str(info.value)


def test_a_hanging_server_times_out_as_unreachable(fake: FakeDeepL) -> None:
    fake.script = ["hang"]
    with pytest.raises(ProblemsFound, match="^DeepL unreachable: "):
        engine_for(fake).translate(["Hello"])


def test_the_key_is_in_no_log_line(fake: FakeDeepL, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.script = [456]
    with pytest.raises(ProblemsFound):
        engine_for(fake).translate(["Hello"])
    assert fake.key not in caplog.text


def test_engine_from_env_needs_a_key_and_uses_the_server_url(fake: FakeDeepL) -> None:
    with pytest.raises(InputError, match="DEEPL_AUTH_KEY"):
        engine_from_env({}, source_lang="en", target_lang="cs")
    engine = engine_from_env(
        {"DEEPL_AUTH_KEY": fake.key, "DEEPL_SERVER_URL": fake.url}, source_lang="en", target_lang="cs"
    )
    assert engine.translate(["Hi"]) == [("CS: Hi", 2)]
