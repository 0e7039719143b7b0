"""`make stress`: load and crash drills on a throwaway stack (see stress/__main__.py).

Not part of `make test`: it builds its own PostgreSQL cluster, serves the app with gunicorn
and takes minutes. Each drill is registered in stress/drills/__init__.py.
"""
