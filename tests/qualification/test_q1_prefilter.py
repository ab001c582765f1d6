"""The Q1 step's SQL conditions name exactly the people whose computed state they name, for
every combination of results over several versions of a module: load's order (passed before
completed before the newest version) decides which registration counts, and so does SQL."""

import itertools
import random

import pytest
import sqlalchemy as sa

from lotse_lms.accounts.models import User
from lotse_lms.extensions import db
from lotse_lms.modules.q1.models import ARCHIVED
from lotse_lms.modules.q1.packages import import_package
from lotse_lms.modules.q1.tracking import registration_for
from lotse_lms.qualification.state import DONE, OPEN, STARTED, exact_prefilter, states
from tests.certification.qualification import SCO_ZIP

pytestmark = pytest.mark.config(Q1_MODULES=["one", "two"])
#: (completed, passed) of a registration; None: no registration of that version.
RESULTS = [None, (False, None), (False, True), (False, False), (True, None), (True, False)]
RESULTS.append((True, True))


def _versions(key, count):
    """``count`` versions of module ``key``'s package, numbered 1..count."""
    first = import_package(SCO_ZIP, module_key=key, title=f"Modul {key}")
    return [first] + [import_package(SCO_ZIP, package=first.package) for _ in range(count - 1)]


def _register(user, version, result):
    """A registration of ``user`` with ``result`` (as recompute_result leaves it)."""
    if result is None:
        return
    reg = registration_for(user, version)
    reg.completed, reg.passed = result


def _expected(results):
    """The module's state by hand: a passed and completed registration counts; with none
    passed, the newest completed one counts unless it failed."""
    if any(r == (True, True) for r in results):
        return True
    if any(r is not None and r[1] is True for r in results):
        return False
    completed = [r for r in results if r is not None and r[0]]
    return bool(completed) and completed[-1][1] is None


def _agree(ids):
    """The computed Q1 states of ``ids``; asserts each state's SQL names exactly its people."""
    computed = {uid: step.state for uid, (step,) in states(ids, keys=["q1"]).items()}
    for state in (OPEN, STARTED, DONE):
        condition = exact_prefilter("q1", state, User.id)
        by_sql = set(db.session.scalars(sa.select(User.id).where(User.id.in_(ids), condition)))
        assert by_sql == {uid for uid in ids if computed[uid] == state}, state
    return computed


def test_every_state_by_sql_is_the_computed_one(app, make_user):
    one = _versions("one", 3)
    (two,) = _versions("two", 1)
    free = import_package(SCO_ZIP, title="Ohne Modul")  # no Q1 module: never counts
    rng = random.Random(17)
    combos = [(None, *c) for c in itertools.product(RESULTS, repeat=2)]
    combos += [tuple(rng.choice(RESULTS) for _ in range(3)) for _ in range(40)]
    people = {}
    for i, results in enumerate(combos):
        user = make_user("participant", password=None)
        for version, result in zip(one, results, strict=True):
            _register(user, version, result)
        # Module two done for all but every fifth, so module one decides the others.
        _register(user, two, (True, True) if i % 5 else (True, False))
        people[user.id] = _expected(results) and i % 5 != 0
    outsider = make_user("participant", password=None)
    _register(outsider, free, (True, True))
    db.session.commit()
    ids = [*people, outsider.id]

    computed = _agree(ids)
    assert {uid for uid in people if computed[uid] == DONE} == {
        uid for uid, done in people.items() if done
    }
    assert computed[outsider.id] == OPEN
    assert {computed[uid] for uid in people} == {DONE, STARTED}

    # An archived package no longer counts: nobody is done, who played only it is open.
    two.package.status = ARCHIVED
    db.session.commit()
    computed = _agree(ids)
    assert {computed[uid] for uid, results in zip(people, combos, strict=True)} == {STARTED, OPEN}
    for uid, results in zip(people, combos, strict=True):
        assert computed[uid] == (OPEN if results == (None, None, None) else STARTED)
