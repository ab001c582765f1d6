"""The one refusal type every area raises when it cannot carry out a request.

An operation refuses with a German message for people and the form field it concerns
(``None``: the whole form). Forms want every refusal of one submission at once, so a
refusal can carry several (field, message) pairs; :func:`collect` gathers them::

    with collect(Q2Error) as refuse:
        if not title:
            refuse(_("Bitte geben Sie einen Titel an."), "title")
        if end <= start:
            refuse(_("Das Ende liegt vor dem Beginn."), "end")
    # leaving the block raises one Q2Error holding both, if there were any

Each area subclasses :class:`Refusal` (``Q2Error``, ``AccountError``, …) so a caller can
catch the refusals of one area; ``except Refusal`` catches all of them.
"""

from contextlib import contextmanager


class Refusal(ValueError):
    """A request that cannot be carried out; ``message`` is for people, ``field`` names the input.

    ``errors`` lists every (field, message) pair; a refusal built with one message has one.
    """

    def __init__(self, message=None, field=None, *, errors=None):
        """Keep one message and its field, or several ``errors`` as (field, message) pairs."""
        pairs = list(errors or [])
        if message is not None:
            pairs.insert(0, (field, message))
        if not pairs:
            raise TypeError("a refusal needs a message")
        super().__init__("; ".join(str(text) for _, text in pairs))
        self.errors = pairs
        self.field, self.message = pairs[0]

    def messages_for(self, field):
        """The messages that concern ``field`` (``None``: those for the whole form)."""
        return [text for name, text in self.errors if name == field]


@contextmanager
def collect(error_class=Refusal):
    """Gather refusals in a block and raise them together as one ``error_class`` at its end.

    The block receives ``refuse(message, field=None)``; refusals an inner call raises with
    ``error_class`` are not caught here: call it through ``refuse.check(fn, *args)`` to keep
    going after it and gather its refusals too.
    """
    pairs = []

    def refuse(message, field=None):
        pairs.append((field, message))

    def check(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except error_class as exc:
            pairs.extend(exc.errors)
            return None

    refuse.check = check
    refuse.pairs = pairs
    yield refuse
    if pairs:
        raise error_class(errors=pairs)
