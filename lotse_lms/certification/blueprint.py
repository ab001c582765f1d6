"""Routes of certification: staff pages, the Lotse's own page, public verification and keys."""

from flask import Blueprint

from ..extensions import csrf
from . import bulk_controllers as b
from . import controllers as c
from . import public

bp = Blueprint(
    "certification",
    __name__,
    template_folder="templates",
)
GP = ["GET", "POST"]
# The public check changes nothing, and other sites (or curl) may post a credential to it.
csrf.exempt(public.verify)
bp.add_url_rule("/certificates/", view_func=c.overview)
bp.add_url_rule("/certificates/mine", view_func=c.mine)
bp.add_url_rule("/certificates/people/<int:user_id>", view_func=c.person)
bp.add_url_rule("/certificates/people/<int:user_id>/issue", view_func=c.issue, methods=GP)
bp.add_url_rule(
    "/certificates/people/<int:user_id>/reinstate", view_func=c.reinstate, methods=["POST"]
)
bp.add_url_rule("/certificates/bulk", "start_bulk", b.prepare, methods=["POST"])
bp.add_url_rule("/certificates/bulk/<int:job_id>", view_func=b.bulk)
bp.add_url_rule(
    "/certificates/bulk/<int:job_id>/confirm", "bulk_confirm", b.confirm, methods=["POST"]
)
bp.add_url_rule("/certificates/bulk/<int:job_id>/cancel", "bulk_cancel", b.cancel, methods=["POST"])
bp.add_url_rule("/certificates/<number>", view_func=c.detail)
bp.add_url_rule("/certificates/<number>/revoke", view_func=c.revoke, methods=GP)
bp.add_url_rule("/certificates/<number>/renew", view_func=c.renew, methods=GP)
bp.add_url_rule("/certificates/<number>/certificate.pdf", view_func=c.download_pdf)
bp.add_url_rule("/certificates/<number>/credential.jwt", view_func=c.download_credential)
bp.add_url_rule("/certificates/<number>/credential.json", view_func=c.download_credential_ld)
bp.add_url_rule("/verify/revocations", view_func=public.revocation_list)
bp.add_url_rule("/verify/status/1", view_func=public.status_list)
bp.add_url_rule("/verify/achievement", view_func=public.achievement)
bp.add_url_rule("/verify", view_func=public.verify, methods=GP)
bp.add_url_rule("/verify/<number>", view_func=public.verify_number)
bp.add_url_rule("/.well-known/jwks.json", view_func=public.jwks)
bp.add_url_rule("/.well-known/did.json", view_func=public.did_document)
# did:web with a path (BASE_URL https://host/lotse -> did:web:host:lotse) resolves to
# <BASE_URL>/did.json (did:web method, §3.2 Read): served under the app's own root.
bp.add_url_rule("/did.json", view_func=public.did_document, endpoint="did_document_path")
