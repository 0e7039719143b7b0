"""The national-size bench's settings: the stress server's (the demo's public keys, DEBUG off,
PostgreSQL or SQLite from DATABASE_URL), with one page of its own for the floor."""

from stress.settings import *  # noqa: F403

ROOT_URLCONF = "bench.scale.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]  # testserver: the query counts
