import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, for the per-address sign-in limit.

    X-Forwarded-For is written by the client first, then appended to by each proxy: only
    the entries the `TRUSTED_PROXY_COUNT` proxies added can be believed, so the client is
    the N-th from the right. With no trusted proxy (the default) the header is ignored.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if trusted <= 0 or not hops:
        return remote
    # Fewer hops than proxies: the request skipped the outer ones; the leftmost hop was
    # still written by a trusted proxy.
    return _valid(hops[-trusted] if len(hops) >= trusted else hops[0]) or remote


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
