"""The HTML page shell shared by every HTML export (the plan, "my points", the agenda).

One self-contained file: UTF-8, a strict Content Security Policy (nothing may load, nothing
may run: no scripts, images, fonts or frames; only the inline stylesheet), a print
stylesheet for A4, and a `lang` attribute. All text passes through `esc`, so it can only ever
be text: user text is never put in an attribute, a URL or a script.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from assistant.export.text import plain_lines
from assistant.language import Language

__all__ = ["CSP", "esc", "page"]

#: Nothing loads and nothing runs; only the inline stylesheet applies. `base-uri` and
#: `form-action` do not fall back to `default-src`, so they are closed separately.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       font-size: 1.05rem; line-height: 1.5; color: #111; background: #fff;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.8rem; }
h2 { font-size: 1.25rem; margin: 1.8rem 0 0.6rem; border-bottom: 2px solid #444;
     padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.1rem 0 0.3rem; }
p, li, dd, dt { overflow-wrap: anywhere; word-break: break-word; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem;
           margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.field { break-inside: avoid; page-break-inside: avoid; }
p.line { margin: 0.2rem 0 0.2rem 0; }
.who { font-weight: 600; }
.words { white-space: pre-wrap; }
.patient .words { font-style: italic; }
ul.items { margin: 0.1rem 0 0.3rem; padding-left: 1.4rem; }
ul.items li { margin: 0; }
.note { color: #444; font-size: 0.92rem; }
.status { color: #555; font-style: italic; margin: 0.2rem 0; }
.gap .status { color: #8a1c00; font-style: normal; font-weight: 600; }
.warning { color: #8a1c00; font-weight: 600; margin: 0.2rem 0; }
footer { margin-top: 2rem; color: #555; font-size: 0.9rem; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def esc(text: str) -> str:
    """`text` as HTML text: cleaned (no control characters) and fully escaped, quotes too.

    Line breaks stay as newlines; elements of class `words` keep them (`pre-wrap`).
    """
    return html.escape("\n".join(plain_lines(text)), quote=True)


def page(title: str, body: Iterable[str], *, lang: Language, extra_style: str = "",
         body_class: str | None = None) -> str:
    """A complete HTML document: `title` (escaped here) and `body`, HTML already escaped.

    Args:
        title: the page's title, plain text.
        body: pieces of HTML, made with `esc` for every text in them.
        lang: the page's language (`lang` attribute).
        extra_style: more CSS for this kind of page (our own, never user text).
        body_class: a class for `<body>` (our own name, never user text).
    """
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "da"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}{extra_style}</style>",
        "</head>",
        f'<body class="{body_class}">' if body_class else "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
        "",
    ])
