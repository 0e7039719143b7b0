import os
import subprocess
import sys

from django.conf import settings


def test_production_settings_pass_the_deploy_check():
    # The test settings put relaxed values in os.environ; production reads none of them.
    relaxed = {
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "EMAIL_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own thread
    }
    env = {
        **{k: v for k, v in os.environ.items() if k not in relaxed},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-like-secret-key-with-entropy-0123456789",
        "FIELD_ENCRYPTION_KEYS": "3q2V8sXlC-0m9bJ6YwTn4rH1uKfA7eZdQpLgWiNoMvE=",
        "AUDIT_HMAC_KEY": "k2V9-qf8R_u3Zx7LmP0aWn4sTb6YcE1hJd5Gi",
        "ALLOWED_HOSTS": "pole-social.example.fr",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
