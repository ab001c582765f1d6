"""The SCORM 1.2 and 2004 run-time data model (server side, authoritative).

Element tables (table12, table2004) are exported as JSON for the browser runtime
(static/runtime-*.js). Typical LMS use:

    state = new_state("2004", {"learner_id": "u7", "learner_name": "Ada", ...})
    state = begin_session(state)                 # on every launch
    page gets client_state(state) for LotseScormRuntime.install(...)
    state, result = apply_commit(state, payload)  # on every commit request
    summary(state)                               # roll-up for certification
    if should_start_new_attempt(state): state = next_attempt(state, config)

Values read back value-equal, not always character-equal. A value the SCO set reads back
as it was written, within the session and after a resume (cmi.score.scaled "0.50" stays
"0.50"). What the LMS computes or writes itself is in its own canonical form of the same
value: cmi.total_time sums the session times and reads "PT0H1M0S" after a session time
"PT1M"; cmi.objectives entries the LMS fills at launch (objectives.seed_objectives) carry
reals with at most seven decimals ("0.8"). SCOs must compare durations and reals as
values, as the RTE book's types (real(10,7), timeinterval (second,10,2)) allow.
"""

from .commit import apply_commit
from .model import DataModel, ModelError
from .runtime import Runtime
from .session import (
    begin_session,
    client_state,
    end_session,
    new_state,
    next_attempt,
    should_start_new_attempt,
)
from .summary import summary
from .tables import table_for

__all__ = [
    "DataModel",
    "ModelError",
    "Runtime",
    "apply_commit",
    "begin_session",
    "client_state",
    "end_session",
    "new_state",
    "next_attempt",
    "should_start_new_attempt",
    "summary",
    "table_for",
]
