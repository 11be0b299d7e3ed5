"""The client's address, read through the reverse proxies the deployment trusts.

Behind a proxy every request comes from the proxy's address: counting by
REMOTE_ADDR let one client lock every blogger out. X-Forwarded-For is only
believed when it was written by a proxy listed in AMBASSADE_TRUSTED_PROXIES,
and only up to the first address that is not one of them (a client can write
anything in the header, but cannot make its own address a trusted proxy).
"""

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES if network.version == ip.version)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not settings.TRUSTED_PROXIES or not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):  # the nearest hop last: walk back while it is one of ours
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a forged or broken header: the proxy is all we know
    return forwarded[0] if forwarded else remote
