"""Real-terminal scenario tests (issue 12): the installed `sdm` driven by keystrokes in tmux.

Run them: `python -m pytest tests/terminal -q` (or `-m terminal`); skipped where tmux is
missing. The harness is harness.py; the technique is ../shared/design/real-terminal-tests.md.
"""
