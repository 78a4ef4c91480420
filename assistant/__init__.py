"""sdm-assistant: a chat-style decision-support assistant for shared decision making.

Importing the package imports no Textual: the guides, engine, plans, export and store layers
are usable (and testable) without a terminal UI.
"""

__version__ = "0.1.0"
