"""`python -m bench [--small] [--output FILE]`: see bench/README.md."""

from bench.runner import main

raise SystemExit(main())
