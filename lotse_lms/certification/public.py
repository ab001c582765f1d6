"""Public views (no sign-in): verification page, revocation list, public keys, achievement."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from ..core.urls import external_url
from . import credential, numbers, signing, statuslist
from . import verify as verification
from .forms import VerifyForm
from .verify import MAX_CREDENTIAL_BYTES, MAX_PDF_BYTES, is_pdf


def _page(result, form, status=200):
    """Render the verification page with a result (or none)."""
    return render_template(
        "certification/verify.html",
        result=result,
        form=form,
        facts=result.public_facts() if result else None,
    ), status


def verify():
    """Check a certificate by number (GET ?number= or POST) or a credential by upload or paste."""
    form = VerifyForm(request.form if request.method == "POST" else request.args)
    if request.method == "GET" and not request.args.get("number"):
        return _page(None, form)
    token = None
    upload = request.files.get("credential_file")
    if upload is not None and upload.filename:
        token = upload.read(MAX_PDF_BYTES + 1)
        if not is_pdf(token):
            token = token[: MAX_CREDENTIAL_BYTES + 1]
    elif form.credential_text.data and form.credential_text.data.strip():
        token = form.credential_text.data.strip()
    if token is None and not (form.number.data or "").strip():
        form.number.errors = [
            *form.number.errors,
            _("Bitte geben Sie eine Zertifikatsnummer ein oder laden Sie einen Nachweis hoch."),
        ]
        return _page(None, form, 422)
    if token is None and numbers.normalise_number(form.number.data) is None:
        form.number.errors = [
            *form.number.errors,
            _("Das ist keine gültige Zertifikatsnummer (Form: OML-XXXX-XXXX-XXXX-XXXX)."),
        ]
        return _page(None, form, 422)
    return _page(verification.verify(number=form.number.data, credential=token), form)


def verify_number(number):
    """The page the QR code leads to."""
    form = VerifyForm(data={"number": number})
    return _page(verification.verify_number(number), form)


def _json(data):
    """A JSON response anyone may fetch (also from other origins)."""
    response = jsonify(data)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def revocation_list():
    """The 1EdTech revocation list the credentials' ``credentialStatus`` points to."""
    return _json(verification.revocation_list())


def status_list():
    """The W3C Bitstring Status List credential the new credentials' ``credentialStatus`` names."""
    response = _json(statuslist.status_list_credential())
    response.mimetype = "application/vc+ld+json"
    return response


def jwks():
    """The foundation's public keys as JWKS."""
    return _json(signing.jwks())


def did_document():
    """The did:web document of the issuer."""
    return _json(signing.did_document())


def achievement():
    """The Achievement the credentials describe (their ``achievement.id`` resolves here)."""
    return _json(
        {
            "id": external_url("certification.achievement"),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": credential.ACHIEVEMENT_NAME,
            "description": credential.ACHIEVEMENT_DESCRIPTION,
            "inLanguage": "de",
        }
    )
