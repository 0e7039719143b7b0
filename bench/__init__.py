"""Benchmarks of Pôle social (`make bench`, i.e. `python -m bench`).

Every figure is a ratio to a floor measured in the same run, on the same machine and
database, so that a slower or busier machine moves both together. Nothing here ever
fails on speed: only a measure that cannot run makes the exit code non-zero.
"""
