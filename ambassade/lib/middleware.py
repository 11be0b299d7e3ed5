"""Form input is text from outside too: it is cleaned at the border, like feeds and mails."""

from django.http import QueryDict

from .clean import clean_text


def _cleaned(query: QueryDict) -> QueryDict:
    if all(clean_text(k) == k and all(clean_text(v) == v for v in values) for k, values in query.lists()):
        return query
    copy = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        copy.setlist(clean_text(key), [clean_text(v) for v in values])
    copy._mutable = False
    return copy


class CleanInputMiddleware:
    """NUL and control characters removed from every GET and POST field before a view,
    a form or a query sees them (PostgreSQL refuses NUL: a search for "a%00" was a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)
