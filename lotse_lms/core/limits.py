"""Request body limits per route: small by default, larger only where a route needs it.

Werkzeug refuses a body whose Content-Length is over the limit before reading it, and stops
reading a chunked body once it passes the limit (413 either way). The limit applies from the
first read on, before any before_request handler (the CSRF check parses forms).
"""

from flask import Request, current_app

EXTENSION = "lotse_body_limits"
#: Room for the multipart framing and the other fields beside an uploaded file.
FORM_OVERHEAD = 64 * 1024


def register_body_limit(app, endpoint, key, overhead=0):
    """Let ``endpoint`` take bodies up to ``app.config[key] + overhead`` bytes."""
    app.extensions.setdefault(EXTENSION, {})[endpoint] = (key, overhead)


def body_limit(app, endpoint):
    """The body limit of an endpoint in bytes (MAX_REQUEST_BYTES unless registered)."""
    key, overhead = app.extensions.get(EXTENSION, {}).get(endpoint, ("MAX_REQUEST_BYTES", 0))
    return app.config[key] + overhead


class LimitedRequest(Request):
    """A request whose body limit is its route's (register_body_limit)."""

    @property
    def max_content_length(self):
        """The limit set on this request, else its route's, else MAX_REQUEST_BYTES."""
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return None
        return body_limit(current_app, self.endpoint)

    @max_content_length.setter
    def max_content_length(self, value):
        """Set a limit for this request only."""
        self._max_content_length = value
