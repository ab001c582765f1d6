"""The search behind the person pickers (JSON for static/js/picker.js)."""

from flask import abort, jsonify, request
from flask_login import current_user, login_required

from . import picker


@login_required
def search_people():
    """One page of a pool's people matching ``q`` (name or e-mail, at least two characters)."""
    pool = picker.find_pool(request.args.get("pool", ""))
    if pool is None:
        abort(404)
    if not picker.may_search(current_user, pool):
        abort(403)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    results, more = picker.search(pool, request.args.get("q", ""), page)
    response = jsonify(results=results, more=more, page=page, min_chars=picker.MIN_CHARS)
    response.headers["Cache-Control"] = "no-store"
    return response
