"""Machine translation with DeepL: the one module that talks HTTP.

What is sent is protected first (:func:`protect`): inline Markdown that must come
back byte for byte (code spans, images, autolinks, inline HTML, backslash
escapes, footnote references, link targets) is replaced by XML placeholder tags,
and link texts and emphasis become XML elements DeepL moves with the words they
wrap. Requests use ``tag_handling="xml"`` with the placeholders in
``ignore_tags`` and ``non_splitting_tags``. :func:`restore` turns a result back
into Markdown and rejects it (:class:`MarkupLost`) unless every placeholder came
back exactly once and properly nested, so broken markup is never written.
Characters inside tags are not billed by DeepL, so code is free.

Requests are batched within DeepL's limits (50 texts, 128 KiB per request). The
key comes from the caller (``DEEPL_AUTH_KEY``) and appears in no message: client
errors are mapped to one-line :class:`MachineTranslationFailed` naming the cause,
with the key scrubbed. 429 and 5xx answers and dropped connections are retried
by the client itself, with its backoff, up to ``retries`` times per engine (see
:func:`pipeline.mt.deepl_retry.configure_client`); a connection that cannot be made at all (refused, unknown
host) is not retried, so an unreachable server fails at once.

Formality is never sent: it does not exist for Czech, and DeepL rejects it for
languages without it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from pipeline.errors import InputError, MachineTranslationFailed
from pipeline.mt.deepl_retry import configure_client

ENGINE = "DeepL"
#: DeepL's documented limits per /v2/translate request.
MAX_TEXTS = 50
MAX_REQUEST_BYTES = 128 * 1024
#: Room for the other request fields and headers besides the texts.
_REQUEST_OVERHEAD = 4 * 1024

_ATOM, _LINK, _EMPH = "x", "a", "e"
TAGS = (_ATOM, _LINK, _EMPH)


# --------------------------------------------------------------------------
# Markup protection.


class MarkupLost(ValueError):
    """A translation whose placeholders did not survive; the message says how."""


@dataclass(frozen=True)
class Protected:
    """A source text as sent to DeepL, with what each placeholder id stands for.

    ``parts[i]`` is ``(tag, opening, closing)``: an atom ``x`` is replaced by
    ``opening`` whole; a link ``a`` or emphasis ``e`` element by ``opening``,
    its translated content, then ``closing``.
    """

    source: str
    xml: str
    parts: tuple[tuple[str, str, str], ...]

    @property
    def billable(self) -> int:
        """Characters DeepL bills for this text: those outside tags, entities as one."""
        return len(_unescape(_TAG.sub("", self.xml)))

    @property
    def has_text(self) -> bool:
        """Whether anything outside the placeholders is worth translating (a letter)."""
        return any(ch.isalpha() for ch in _unescape(_TAG.sub("", self.xml)))


_TAG = re.compile(r"<[^<>]*>")
_SPECIAL = re.compile(r"[`\\<!\[*_&>]")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_AUTOLINK_OR_HTML = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>"  # autolink
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9.\-]+>"  # e-mail autolink
    r"|<!--.*?-->"  # comment
    r"|</?[A-Za-z][A-Za-z0-9\-]*(?:\s+[^<>]*?)?\s*/?>",  # tag
    re.DOTALL,
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        if name in _NAMED:
            return _NAMED[name]
        raise MarkupLost(f"unknown entity &{name};")

    return _ENTITY.sub(replace, text)


class _Scanner:
    """Left-to-right scan of inline Markdown, precedence as CommonMark: code spans
    first, then escapes, autolinks/HTML, images, links, emphasis."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.parts: list[tuple[str, str, str]] = []

    def atom(self, original: str) -> str:
        self.parts.append((_ATOM, original, ""))
        return f'<x i="{len(self.parts) - 1}"/>'

    def element(self, tag: str, opening: str, closing: str, start: int, end: int) -> str:
        self.parts.append((tag, opening, closing))
        index = len(self.parts) - 1
        return f'<{tag} i="{index}">{self.scan(start, end)}</{tag}>'

    def code_end(self, i: int, end: int) -> int:
        """End of the code span opening at ``i``, or -1 when its backticks are literal."""
        text = self.text
        n = 1
        while i + n < end and text[i + n] == "`":
            n += 1
        match = re.compile(rf"(?<!`)`{{{n}}}(?!`)").search(text, i + n, end)
        return match.end() if match else -1

    def skip_literal(self, j: int, end: int) -> int:
        """Index after the escape or code span starting at ``j`` (``j`` when none):
        what delimiters inside them do not count."""
        ch = self.text[j]
        if ch == "\\":
            return j + 2
        if ch == "`":
            close = self.code_end(j, end)
            if close > 0:
                return close
        return j

    def bracket_end(self, i: int, end: int) -> int:
        """Index of the ``]`` closing the ``[`` at ``i`` (code spans and escapes skipped)."""
        text = self.text
        depth = 0
        j = i
        while j < end:
            skipped = self.skip_literal(j, end)
            if skipped != j:
                j = skipped
                continue
            ch = text[j]
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    return j
            j += 1
        return -1

    def link_tail_end(self, j: int, end: int) -> int:
        """End of ``(target "title")`` or ``[ref]`` right after the ``]`` at ``j``, or -1."""
        text = self.text
        k = j + 1
        if k >= end:
            return -1
        if text[k] == "[":
            close = text.find("]", k + 1, end)
            return close + 1 if close > 0 and "[" not in text[k + 1 : close] else -1
        if text[k] != "(":
            return -1
        depth = 0
        quote = ""
        while k < end:
            ch = text[k]
            if ch == "\\":
                k += 2
                continue
            if quote:
                quote = "" if ch == quote else quote
            elif ch == '"' and depth == 1:
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        return -1

    def emphasis_end(self, i: int, n: int, end: int) -> int:
        """Start of the delimiter run closing the ``n``-long run at ``i``, or -1."""
        text = self.text
        delim = text[i]
        if i + n >= end or text[i + n].isspace():
            return -1
        if delim == "_" and i > 0 and text[i - 1].isalnum():
            return -1
        j = i + n
        while j < end:
            skipped = self.skip_literal(j, end)
            if skipped != j:
                j = skipped
                continue
            ch = text[j]
            if ch == delim:
                run = j
                while run < end and text[run] == delim:
                    run += 1
                if (
                    run - j == n
                    and j > i + n
                    and not text[j - 1].isspace()
                    and not (delim == "_" and run < len(text) and text[run].isalnum())
                ):
                    return j
                j = run
                continue
            j += 1
        return -1

    def scan(self, start: int, end: int) -> str:
        text = self.text
        out: list[str] = []
        i = start
        while i < end:
            match = _SPECIAL.search(text, i, end)
            if match is None:
                out.append(text[i:end])
                break
            j = match.start()
            out.append(text[i:j])
            i = j
            ch = text[i]
            if ch == "`":
                close = self.code_end(i, end)
                if close > 0:
                    out.append(self.atom(text[i:close]))
                    i = close
                else:
                    run = i
                    while run < end and text[run] == "`":
                        run += 1
                    out.append(text[i:run])
                    i = run
            elif ch == "\\":
                if i + 1 < end and (text[i + 1] in _PUNCTUATION or text[i + 1] == "\n"):
                    out.append(self.atom(text[i : i + 2]))
                    i += 2
                else:
                    out.append("\\")
                    i += 1
            elif ch == "<":
                auto = _AUTOLINK_OR_HTML.match(text, i, end)
                if auto:
                    out.append(self.atom(auto.group()))
                    i = auto.end()
                else:
                    out.append("&lt;")
                    i += 1
            elif ch == "!" and i + 1 < end and text[i + 1] == "[":
                close = self.bracket_end(i + 1, end)
                tail = self.link_tail_end(close, end) if close > 0 else -1
                if tail > 0:
                    out.append(self.atom(text[i:tail]))
                    i = tail
                else:
                    out.append("!")
                    i += 1
            elif ch == "[":
                close = self.bracket_end(i, end)
                tail = self.link_tail_end(close, end) if close > 0 else -1
                if close > 0 and text[i + 1 : i + 2] == "^":
                    out.append(self.atom(text[i : close + 1]))  # footnote reference
                    i = close + 1
                elif tail > 0 and text[i + 1 : close].strip():
                    out.append(self.element(_LINK, "[", text[close:tail], i + 1, close))
                    i = tail
                elif tail > 0:
                    out.append(self.atom(text[i:tail]))  # a link without text
                    i = tail
                else:
                    out.append("[")
                    i += 1
            elif ch in "*_":
                run = i
                while run < end and text[run] == ch:
                    run += 1
                n = run - i
                close = self.emphasis_end(i, n, end) if n <= 2 else -1
                if close > 0:
                    delim = text[i:run]
                    out.append(self.element(_EMPH, delim, delim, run, close))
                    i = close + n
                else:
                    out.append(text[i:run])
                    i = run
            elif ch == "&":
                out.append("&amp;")
                i += 1
            elif ch == ">":
                out.append("&gt;")
                i += 1
            else:  # a "!" not before "["
                out.append(ch)
                i += 1
        return "".join(out)


def protect(text: str) -> Protected:
    """``text`` as XML for DeepL with its inline Markdown in placeholders."""
    scanner = _Scanner(text)
    xml = scanner.scan(0, len(text))
    return Protected(text, xml, tuple(scanner.parts))


_XML_TOKEN = re.compile(r"""<(/?)([A-Za-z]+)(?:\s+i\s*=\s*(?:"(\d+)"|'(\d+)'))?\s*(/?)>|<""")
_EMPTY_ATOM = re.compile(r"""<x(\s+i\s*=\s*(?:"\d+"|'\d+'))\s*>\s*</x>""")


def restore(translated: str, protected: Protected) -> str:
    """The Markdown of a DeepL result for ``protected``; MarkupLost if it is broken."""
    xml = _EMPTY_ATOM.sub(r"<x\1/>", translated)
    parts = protected.parts
    out: list[str] = []
    seen: set[int] = set()
    stack: list[int] = []
    position = 0
    for match in _XML_TOKEN.finditer(xml):
        out.append(_unescape(xml[position : match.start()]))
        position = match.end()
        closing, tag, dq, sq, self_closing = match.groups()
        if tag is None:
            raise MarkupLost("a stray '<' in the result")
        if closing:
            if not stack or parts[stack[-1]][0] != tag:
                raise MarkupLost(f"an unexpected </{tag}>")
            out.append(parts[stack.pop()][2])
            continue
        ident = dq or sq
        if ident is None or int(ident) >= len(parts):
            raise MarkupLost(f"an unknown tag <{tag}>")
        index = int(ident)
        kind, opening, _closing = parts[index]
        if kind != tag or index in seen or bool(self_closing) != (kind == _ATOM):
            raise MarkupLost(f"placeholder {index} came back changed")
        seen.add(index)
        out.append(opening)
        if not self_closing:
            stack.append(index)
    out.append(_unescape(xml[position:]))
    if stack:
        raise MarkupLost(f"placeholder {stack[-1]} was not closed")
    missing = [str(i) for i in range(len(parts)) if i not in seen]
    if missing:
        originals = ", ".join(parts[int(i)][1] + parts[int(i)][2] for i in missing[:3])
        raise MarkupLost(f"lost {len(missing)} markup placeholder(s): {originals}")
    body = "".join(out).strip()
    source = protected.source
    if not source.strip():
        return source
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + body + trail


# --------------------------------------------------------------------------
# Batching.


def plan_batches(
    texts: Sequence[str], *, max_texts: int = MAX_TEXTS, max_bytes: int = MAX_REQUEST_BYTES - _REQUEST_OVERHEAD
) -> tuple[list[list[int]], list[int]]:
    """Indices of ``texts`` grouped into requests within the limits, in order, and
    the indices of texts too large for any request on their own.

    The size is the texts' JSON encoding as the client sends it (ASCII-escaped).
    """
    batches: list[list[int]] = []
    oversized: list[int] = []
    current: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        cost = len(json.dumps(text)) + 2
        if cost > max_bytes:
            oversized.append(index)
            continue
        if current and (len(current) >= max_texts or size + cost > max_bytes):
            batches.append(current)
            current, size = [], 0
        current.append(index)
        size += cost
    if current:
        batches.append(current)
    return batches, oversized


# --------------------------------------------------------------------------
# Languages and glossary.


def source_code(lang: str) -> str:
    """DeepL's source language code: the base language (``en``, ``pt_BR`` -> ``EN``, ``PT``)."""
    return re.split(r"[-_]", lang)[0].upper()


def target_code(lang: str) -> str:
    """DeepL's target language code; English and Portuguese need a variant."""
    base, _sep, region = lang.replace("_", "-").partition("-")
    base = base.upper()
    if base in ("EN", "PT", "ZH") and region:
        return f"{base}-{region.upper()}"
    return {"EN": "EN-GB", "PT": "PT-PT"}.get(base, base)


def glossary_hash(terms: Mapping[str, str], source_lang: str, target_lang: str) -> str:
    """A short content hash naming a glossary ("" for none): same terms, same name."""
    if not terms:
        return ""
    canonical = "\n".join(f"{s}\t{t}" for s, t in sorted(terms.items()))
    payload = f"{source_code(source_lang)}>{target_code(target_lang)}\n{canonical}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------
# The client.


def _one_line(message: str, secret: str) -> str:
    if secret:
        message = message.replace(secret, "***")
    message = " ".join(message.split())
    return message if len(message) <= 300 else message[:299] + "…"


def _causes() -> tuple[tuple[type[Exception], str, str], ...]:
    """Client exceptions by the cause they name, most specific first."""
    import deepl

    return (
        (deepl.QuotaExceededException, "DeepL quota exceeded", "wait for the next billing period or raise the cost limit"),
        (deepl.AuthorizationException, "DeepL rejected the key", "check DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for a Free key)"),
        (deepl.ConnectionException, "DeepL unreachable", "check the network or DEEPL_SERVER_URL and run again"),
        (deepl.TooManyRequestsException, "DeepL is overloaded (too many requests)", "run again later"),
    )


def _problem(exc: Exception, secret: str) -> MachineTranslationFailed:
    """A DeepL client error as one line that names the cause."""
    status = getattr(exc, "http_status_code", None)
    cause, hint = "DeepL request failed", "run again; report it if it persists"
    if isinstance(status, int) and status >= 500:
        cause, hint = "DeepL server error", "run again later"
    for kind, name, advice in _causes():
        if isinstance(exc, kind):
            cause, hint = name, advice
            break
    return MachineTranslationFailed(f"{cause}: {_one_line(str(exc), secret)}", hint=hint)


class DeepLEngine:
    """Translates protected texts with the official client, one batch per call.

    The glossary (if any) is resolved on the first call only, so a run served
    entirely from the cache makes no request at all.
    """

    name = ENGINE

    def __init__(
        self,
        auth_key: str,
        *,
        source_lang: str,
        target_lang: str,
        glossary: Mapping[str, str] | None = None,
        server_url: str | None = None,
        retries: int = 5,
        timeout: float = 10.0,
    ) -> None:
        if not auth_key:
            raise InputError("DEEPL_AUTH_KEY is empty", hint="export DEEPL_AUTH_KEY with your DeepL API key")
        self._secret = auth_key
        self.source_lang = source_code(source_lang)
        self.target_lang = target_code(target_lang)
        self.glossary = dict(glossary or {})
        self.glossary_hash = glossary_hash(self.glossary, source_lang, target_lang)
        self._glossary_id: str | None = None
        import deepl  # here, not at the top: every other command starts faster without it

        self._translator = deepl.Translator(auth_key, server_url=server_url or None)
        configure_client(self._translator, retries, timeout)
        self.requests = 0

    def close(self) -> None:
        self._translator.close()  # type: ignore[no-untyped-call]

    def _resolve_glossary(self) -> str | None:
        """The id of this glossary on DeepL, created under its hash name if missing."""
        if not self.glossary:
            return None
        if self._glossary_id is None:
            glossary_name = f"l10n-pipeline {self.source_lang}-{self.target_lang} {self.glossary_hash}"
            base_target = self.target_lang.split("-")[0]
            self.requests += 1
            for info in self._translator.list_glossaries():
                if (
                    info.name == glossary_name
                    and info.source_lang.upper() == self.source_lang
                    and info.target_lang.upper() == base_target
                    and info.ready
                ):
                    self._glossary_id = info.glossary_id
                    break
            else:
                self.requests += 1
                created = self._translator.create_glossary(glossary_name, self.source_lang, base_target, self.glossary)
                self._glossary_id = created.glossary_id
        return self._glossary_id

    def translate(self, texts: Sequence[str]) -> list[tuple[str, int]]:
        """(translation, billed characters) for each protected XML text, in order.

        Raises MachineTranslationFailed naming the cause when DeepL cannot be used.
        """
        import deepl

        if not texts:
            return []
        try:
            glossary = self._resolve_glossary()
            self.requests += 1
            results = self._translator.translate_text(
                list(texts),
                source_lang=self.source_lang,
                target_lang=self.target_lang,
                glossary=glossary,
                tag_handling="xml",
                ignore_tags=[_ATOM],
                non_splitting_tags=list(TAGS),
                preserve_formatting=True,
            )
        except deepl.DeepLException as exc:
            raise _problem(exc, self._secret) from None
        except ValueError as exc:  # the client's own checks (e.g. a glossary term)
            raise MachineTranslationFailed(f"DeepL request not sent: {_one_line(str(exc), self._secret)}") from None
        except (KeyError, TypeError, AttributeError) as exc:  # the client choking on an answer not in DeepL's format
            raise MachineTranslationFailed(
                f"DeepL's answer could not be read: {type(exc).__name__}: {_one_line(str(exc), self._secret)}",
                hint="check that DEEPL_SERVER_URL, when set, points at DeepL's API",
            ) from None
        if not isinstance(results, list):
            results = [results]
        if len(results) != len(texts):
            raise MachineTranslationFailed(f"DeepL answered {len(results)} translations for {len(texts)} texts")
        return [(r.text, int(r.billed_characters or 0)) for r in results]


def engine_from_env(
    env: Mapping[str, str],
    *,
    source_lang: str,
    target_lang: str,
    glossary: Mapping[str, str] | None = None,
    retries: int = 5,
    timeout: float = 10.0,
) -> DeepLEngine:
    """A DeepL engine keyed by ``DEEPL_AUTH_KEY`` at ``DEEPL_SERVER_URL`` (when set);
    ``retries`` and ``timeout`` per request (see :class:`pipeline.config.Tuning`)."""
    return DeepLEngine(
        auth_key(env),
        source_lang=source_lang,
        target_lang=target_lang,
        glossary=glossary,
        server_url=env.get("DEEPL_SERVER_URL", "").strip() or None,
        retries=retries,
        timeout=timeout,
    )


def auth_key(env: Mapping[str, str], hint: str = "or use --dry-run to see the cost first") -> str:
    """``DEEPL_AUTH_KEY`` of ``env``; an InputError (usage: exit 2) when it is not set."""
    key = env.get("DEEPL_AUTH_KEY", "").strip()
    if not key:
        raise InputError("--mt deepl needs an API key and DEEPL_AUTH_KEY is not set", hint=f"export DEEPL_AUTH_KEY=... ({hint})")
    return key


__all__ = [
    "ENGINE", "MAX_REQUEST_BYTES", "MAX_TEXTS", "DeepLEngine", "MarkupLost", "Protected", "auth_key",
    "engine_from_env", "glossary_hash", "plan_batches", "protect", "restore", "source_code", "target_code",
]
