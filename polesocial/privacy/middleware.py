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
