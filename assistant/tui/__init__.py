"""The Textual chat UI: screens and widgets at the edge of the pipeline.

Everything here reads engine state and sends events; nothing below this package imports it.
User and author text reaches widgets only as `Content(text)` (never parsed as markup).
"""
