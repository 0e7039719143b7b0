import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

# Refuse to serve when the encryption keys cannot read the data already stored (a wrong or
# missing key): a worker would otherwise accept writes that could never be read again.
# gunicorn then stops (« Worker failed to boot »), runserver shows the French message.
from polesocial.privacy.checks import refuse_unreadable_keys  # noqa: E402

refuse_unreadable_keys()
