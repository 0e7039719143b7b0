from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages for signed-in people may show nominative data: browsers and proxies keep none.

    Applied to every response to an authenticated request and to every API response,
    rather than view by view, so that a new page cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class DecryptionErrorMiddleware:
    """An unreadable encrypted value shows a French page instead of a server error.

    The content stays unread (tampered data, or its key is gone); the page says so and the
    technical log gets one line without any content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.http import JsonResponse
        from django.shortcuts import render

        from polesocial.privacy.crypto import DecryptionError

        if not isinstance(exception, DecryptionError):
            return None
        message = str(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=500)
        return render(request, "500_decryption.html", {"message": message}, status=500)
