"""Site markup (MkDocs, Docusaurus, PyMdown, Hugo, MDX) defects found in review:
code in JSX code components, admonition titles, the HTML page, review markers."""

from __future__ import annotations

from pipeline.build.article import Translation, build_article
from pipeline.catalog.entries import segment_keys
from pipeline.model import segments
from pipeline.read.markdown import parse_markdown

CODE_COMPONENTS_MDX = """import CodeBlock from '@theme/CodeBlock';

Install the package first.

<CodeBlock language="bash">
npm install x
export PATH=$HOME/bin:$PATH
</CodeBlock>

Then start the server:

<TerminalBlock>
npm run dev
</TerminalBlock>

<CodeBlock language="js">console.log("hello")</CodeBlock>

<Sandpack>

```js
export default function App() {}
```

</Sandpack>
"""


def _texts(source: str) -> list[str]:
    return [seg.text for seg in segments(parse_markdown(source, path="doc.mdx", lang="en"))]


def test_the_body_of_a_jsx_code_component_is_code_not_text() -> None:
    texts = _texts(CODE_COMPONENTS_MDX)
    assert texts == ["Install the package first.", "Then start the server:"]
    article = parse_markdown(CODE_COMPONENTS_MDX, path="doc.mdx", lang="en")
    keys = segment_keys(article)
    built = build_article(article, keys, {k: Translation(k[1].upper()) for k in keys}, lang="de")
    assert built.markdown == CODE_COMPONENTS_MDX.replace("Install the package first.", "INSTALL THE PACKAGE FIRST.").replace(
        "Then start the server:", "THEN START THE SERVER:"
    )
