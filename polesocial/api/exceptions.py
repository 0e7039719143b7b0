from rest_framework.views import exception_handler


def json_exception_handler(exc, context):
    """DRF's handler: errors answer in JSON with a French `detail`."""
    return exception_handler(exc, context)
