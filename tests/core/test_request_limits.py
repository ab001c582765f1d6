"""Request bodies are limited per route and refused before they are read whole."""

import io

import pytest

from lotse_lms.core.limits import body_limit

from ..conftest import csrf_token

MiB = 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts how many the server read."""

    def __init__(self, size, fill=b"x"):
        """A body of ``size`` bytes of ``fill``."""
        self.size, self.fill, self.read_bytes, self.pos = size, fill, 0, 0

    def readable(self):
        """It is."""
        return True

    def seekable(self):
        """The test client asks for the length (Transfer-Encoding: chunked ignores it)."""
        return True

    def tell(self):
        """The position."""
        return self.pos

    def seek(self, offset, whence=io.SEEK_SET):
        """Move the position (the test client measures the length so)."""
        self.pos = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence] + offset
        return self.pos

    def readinto(self, buffer):
        """Hand out the next bytes and count them."""
        n = max(0, min(len(buffer), self.size - self.pos))
        buffer[:n] = self.fill * n
        self.read_bytes += n
        self.pos += n
        return n


def test_routes_have_their_own_limits(app):
    assert body_limit(app, "certification.verify") == MiB  # MAX_REQUEST_BYTES
    assert body_limit(app, "q1.upload") > app.config["SCORM_MAX_UPLOAD_BYTES"]
    assert body_limit(app, "accounts.edit_authorisation") > app.config["PROOF_MAX_BYTES"]
    assert body_limit(app, "accounts.edit_authorisation") < 6 * MiB
    assert body_limit(app, "q1_content.commit") == app.config["SCORM_COMMIT_MAX_BYTES"]


def test_anonymous_big_post_is_refused_unread(client):
    body = CountingStream(150 * MiB)
    response = client.post(
        "/verify",
        input_stream=body,
        content_length=body.size,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_chunked_body_is_read_only_up_to_the_limit(client):
    body = CountingStream(20 * MiB)
    response = client.post(
        "/verify",
        input_stream=body,
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    # reading stops at the limit (werkzeug parses what came up to it: nothing valid here)
    assert response.status_code in (413, 422)
    assert body.read_bytes <= MiB


def test_proof_upload_over_its_limit_is_refused_unread(client, login_as):
    login_as("participant")
    token = csrf_token(client, "/profile/authorisation")
    body = CountingStream(50 * MiB)
    response = client.post(
        "/profile/authorisation",
        input_stream=body,
        content_length=body.size,
        content_type="multipart/form-data; boundary=grenze",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 413 and "zu groß" in response.get_data(as_text=True)
    assert body.read_bytes == 0


# werkzeug's multipart parser leaves the cut-off part's spooled temp file to the collector
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_chunked_proof_upload_stops_at_the_limit(client, login_as):
    login_as("participant")
    token = csrf_token(client, "/profile/authorisation")
    head = (
        b'--grenze\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        + token.encode()
        + b'\r\n--grenze\r\nContent-Disposition: form-data; name="proof"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-"
    )
    body = CountingStream(40 * MiB)
    stream = _Chain(head, body)
    response = client.post(
        "/profile/authorisation",
        input_stream=stream,
        content_type="multipart/form-data; boundary=grenze",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert body.read_bytes <= 7 * MiB


class _Chain(CountingStream):
    """Some leading bytes, then a CountingStream."""

    def __init__(self, head, rest):
        """Serve ``head`` first, then ``rest``."""
        super().__init__(len(head) + rest.size)
        self.head, self.rest = head, rest

    def seek(self, offset, whence=io.SEEK_SET):
        """Only the length is asked for; reading starts at the head."""
        return self.size if whence == io.SEEK_END else 0

    def readinto(self, buffer):
        """Hand out the head, then the counting stream."""
        if self.head:  # the head first, then the counting stream
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        return self.rest.readinto(buffer)
