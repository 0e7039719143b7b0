"""The example deployment (deploy/) names commands and options that exist: a renamed
command or option would otherwise fail only in production, one night, in a timer."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def manage_calls() -> list[list[str]]:
    """Every `manage.py` call of the daily script, the systemd units and the cron lines."""
    calls = [
        shlex.split(line.removeprefix("run "))
        for line in (DEPLOY / "daily.sh").read_text().splitlines()
        if line.startswith("run ")
    ]
    for path in [*DEPLOY.glob("systemd/*.service"), DEPLOY / "cron" / "polesocial"]:
        for match in re.finditer(r"manage\.py ([^|;\n]+)", path.read_text()):
            calls.append([word for word in shlex.split(match.group(1)) if word != "2>&1"])
    return calls


@pytest.mark.parametrize("call", manage_calls(), ids=lambda call: call[0])
def test_each_scheduled_command_exists_and_takes_its_options(call, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # production's
    name, *args = call
    commands = get_commands()
    assert name in commands, f"deploy/ calls an unknown command: {name}"
    command = load_command_class(commands[name], name)
    # Paths built by the script are placeholders here; parsing fails on an unknown option.
    args = [re.sub(r"\$\w+|\$\{[^}]+\}|\$\([^)]*\)", "x", arg) for arg in args]
    command.create_parser("manage.py", name).parse_args(args)


def test_the_daily_jobs_include_those_the_readme_asks_to_run_each_day():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    daily = {
        re.sub(r"`python manage.py (\w+).*", r"\1", line.split("|")[1].strip())
        for line in readme.splitlines()
        if line.startswith("| `python manage.py") and "chaque jour" in line
    }
    scheduled = {call[0] for call in manage_calls()}
    assert daily and daily <= scheduled


def test_gunicorn_serves_the_wsgi_application_that_checks_the_keys():
    config: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    assert config["wsgi_app"] == "config.wsgi:application"
    assert "refuse_unreadable_keys()" in (Path(settings.BASE_DIR) / "config/wsgi.py").read_text()
