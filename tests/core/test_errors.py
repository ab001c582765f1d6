"""The shared refusal type: one message or several, gathered with collect()."""

import pytest

from lotse_lms.core.errors import Refusal, collect
from lotse_lms.modules.q2.common import Q2Error


def test_a_refusal_keeps_its_message_and_field():
    exc = Q2Error("Titel fehlt.", "title")
    assert (exc.message, exc.field, exc.errors) == (
        "Titel fehlt.",
        "title",
        [("title", "Titel fehlt.")],
    )
    assert isinstance(exc, Refusal) and isinstance(exc, ValueError)


def test_collect_raises_every_refusal_of_the_block_at_once():
    def inner():
        raise Q2Error("Ende vor Beginn.", "end")

    with pytest.raises(Q2Error) as caught:
        with collect(Q2Error) as refuse:
            refuse("Titel fehlt.", "title")
            refuse.check(inner)
            refuse("Link unzulässig.", "link")
    assert caught.value.errors == [
        ("title", "Titel fehlt."),
        ("end", "Ende vor Beginn."),
        ("link", "Link unzulässig."),
    ]
    assert caught.value.messages_for("end") == ["Ende vor Beginn."]


def test_collect_without_refusals_raises_nothing():
    with collect(Q2Error) as refuse:
        assert refuse.check(lambda: 42) == 42


def test_a_refusal_needs_a_message():
    with pytest.raises(TypeError):
        Refusal()
