"""The SCORM 1.2 and 2004 run-time data model (server side, authoritative).

Element tables (table12, table2004) are exported as JSON for the browser runtime
(static/runtime-*.js). Typical LMS use:

    state = new_state("2004", {"learner_id": "u7", "learner_name": "Ada", ...})
    state = begin_session(state)                 # on every launch
    page gets client_state(state) for LotseScormRuntime.install(...)
    state, result = apply_commit(state, payload)  # on every commit request
    summary(state)                               # roll-up for certification
    if should_start_new_attempt(state): state = next_attempt(state, config)
"""

from .commit import apply_commit
from .model import DataModel, ModelError
from .rollup import summary
from .runtime import Runtime
from .session import (
    begin_session,
    client_state,
    end_session,
    new_state,
    next_attempt,
    should_start_new_attempt,
)
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
