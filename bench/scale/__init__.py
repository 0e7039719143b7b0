"""The national-size bench: `python -m bench.scale` (bench/README.md)."""
