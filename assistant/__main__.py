"""`python -m assistant` runs the same command line as `sdm`."""

from assistant.cli import main

raise SystemExit(main())
