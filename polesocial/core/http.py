def client_ip(request) -> str | None:
    """The client's address as the front proxy saw it (first X-Forwarded-For hop)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
