"""Site-wide middleware of our own."""

from __future__ import annotations

from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong HTTP method (e.g. GET on a button's POST-only URL)
    with an empty 405; a person who follows such a link gets a Chinese page
    instead.  API clients (JSON) keep the bare response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and "text/html" in request.headers.get("Accept", "text/html")
            and not request.path.startswith("/api/")
        ):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
