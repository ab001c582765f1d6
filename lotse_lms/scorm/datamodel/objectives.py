"""cmi.objectives at launch: the activity's objectives from the manifest, with their status.

The RTE book (cmi.objectives): the LMS initialises cmi.objectives with the objectives the
activity defines (their objectiveIDs, in manifest order) and their current tracking
status, which may come from global objectives other activities wrote. A new attempt gets
every entry; a resumed attempt keeps the entries the SCO already has (their index does not
change) and gets the known status of the sequencer written into them, plus any objective
still missing.
"""

from .model import DataModel, ModelError
from .tables import table_for

#: status key of the sequencer -> element below cmi.objectives.n
FIELDS = {
    "success_status": "success_status",
    "completion_status": "completion_status",
    "score_scaled": "score.scaled",
    "progress_measure": "progress_measure",
}
#: values that say nothing; an entry keeps (or defaults to) what it has
UNKNOWN = (None, "unknown")


def real(value):
    """A real(10,7) data model string of a number, value-equal to it (at most 7 decimals)."""
    text = f"{float(value):.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def seed_objectives(state, statuses):
    """Return a copy of a SCORM 2004 state whose cmi.objectives hold ``statuses``.

    ``statuses`` is the Sequencer's objective_status() list: {"id", "success_status",
    "completion_status", "score_scaled", "progress_measure"} per objective.
    """
    if state["version"] != "2004" or not statuses:
        return state
    values = dict(state["values"])
    model = DataModel(table_for("2004"), values, state.get("limits"))
    index_of = {
        values.get(f"cmi.objectives.{n}.id"): n for n in range(model.count("cmi.objectives"))
    }
    for status in statuses:
        try:
            _seed(model, index_of, status)
        except ModelError:  # an ID the data model refuses (or a full collection): left out
            continue
    return {**state, "values": values}


def _seed(model, index_of, status):
    """Find or add the entry of one objective and write its known status."""
    n = index_of.get(status["id"])
    if n is None:
        n = model.count("cmi.objectives")
        model.set_value(f"cmi.objectives.{n}.id", status["id"])
        index_of[status["id"]] = n
    for key, element in FIELDS.items():
        value = status.get(key)
        if value in UNKNOWN:
            continue
        text = real(value) if isinstance(value, float | int) else str(value)
        model.set_value(f"cmi.objectives.{n}.{element}", text)
