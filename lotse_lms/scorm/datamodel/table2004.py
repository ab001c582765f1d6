"""The SCORM 2004 4th edition run-time data model as a declarative element table.

Spec keys as in table12, plus: requires (a sibling that must be set first, else 408),
unique (the value must be unique inside its collection, else 351), immutable (once set
it cannot change, else 351), response ("pattern" or "learner_response": the format
depends on the interaction type), evaluated ("completion"/"success": GetValue returns
the value evaluated against threshold/passing score). No default means GetValue of an
unset element fails with 403.
"""

from .responses import PATTERN_LIMITS

ERRORS_2004 = {
    "0": "No Error",
    "101": "General Exception",
    "102": "General Initialization Failure",
    "103": "Already Initialized",
    "104": "Content Instance Terminated",
    "111": "General Termination Failure",
    "112": "Termination Before Initialization",
    "113": "Termination After Termination",
    "122": "Retrieve Data Before Initialization",
    "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization",
    "133": "Store Data After Termination",
    "142": "Commit Before Initialization",
    "143": "Commit After Termination",
    "201": "General Argument Error",
    "301": "General Get Failure",
    "351": "General Set Failure",
    "391": "General Commit Failure",
    "401": "Undefined Data Model Element",
    "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized",
    "404": "Data Model Element Is Read Only",
    "405": "Data Model Element Is Write Only",
    "406": "Data Model Element Type Mismatch",
    "407": "Data Model Element Value Out Of Range",
    "408": "Data Model Dependency Not Established",
}

COMPLETION = ["completed", "incomplete", "not attempted", "unknown"]
SUCCESS = ["passed", "failed", "unknown"]
NAV = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"]
TIME_LIMIT = ["exit,message", "continue,message", "exit,no message", "continue,no message"]
NAV_VALID = ["true", "false", "unknown"]


def real(access, low=None, high=None, **extra):
    """A real(10,7) element with an optional range."""
    spec = {"type": "real", "access": access, **extra}
    if low is not None or high is not None:
        spec["range"] = [low, high]
    return spec


def chars(access, spm, **extra):
    """A characterstring element."""
    return {"type": "characterstring", "spm": spm, "access": access, **extra}


def local(access, spm, **extra):
    """A localized_string_type element."""
    return {"type": "localized_string", "spm": spm, "access": access, **extra}


def state(access, words, **extra):
    """A state (restricted vocabulary) element."""
    return {"type": "state", "vocab": words, "access": access, **extra}


def stamp(access, **extra):
    """A time(second,10,0) element."""
    return {"type": "time", "access": access, **extra}


def comments(access):
    """The three elements of one comments_from_learner/lms collection."""
    req = {"requires": None}
    return {
        "comment": local(access, 4000, **req),
        "location": chars(access, 250, **req),
        "timestamp": stamp(access, **req),
    }


def score(prefix, dep):
    """The four score elements under prefix."""
    extra = {"requires": "id"} if dep else {}
    return {
        f"{prefix}.scaled": real("rw", -1, 1, **extra),
        f"{prefix}.raw": real("rw", **extra),
        f"{prefix}.min": real("rw", **extra),
        f"{prefix}.max": real("rw", **extra),
    }


ELEMENTS_2004 = {
    "cmi.completion_status": state("rw", COMPLETION, default="unknown", evaluated="completion"),
    "cmi.completion_threshold": real("ro", 0, 1),
    "cmi.credit": state("ro", ["credit", "no-credit"], default="credit"),
    "cmi.entry": state("ro", ["ab-initio", "resume", ""], default="ab-initio"),
    "cmi.exit": state("wo", ["time-out", "suspend", "logout", "normal", ""]),
    "cmi.launch_data": chars("ro", 4000),
    "cmi.learner_id": {"type": "long_identifier", "spm": 4000, "access": "ro", "default": ""},
    "cmi.learner_name": local("ro", 250, default=""),
    "cmi.learner_preference.audio_level": real("rw", 0, None, default="1"),
    "cmi.learner_preference.language": {"type": "language", "access": "rw", "default": ""},
    "cmi.learner_preference.delivery_speed": real("rw", 0, None, default="1"),
    "cmi.learner_preference.audio_captioning": state("rw", ["-1", "0", "1"], default="0"),
    "cmi.location": chars("rw", 1000),
    "cmi.max_time_allowed": {"type": "timeinterval", "access": "ro"},
    "cmi.mode": state("ro", ["browse", "normal", "review"], default="normal"),
    "cmi.progress_measure": real("rw", 0, 1),
    "cmi.scaled_passing_score": real("ro", -1, 1),
    "cmi.session_time": {"type": "timeinterval", "access": "wo"},
    "cmi.success_status": state("rw", SUCCESS, default="unknown", evaluated="success"),
    "cmi.suspend_data": chars("rw", 64000, limit="suspend_data"),
    "cmi.time_limit_action": state("ro", TIME_LIMIT, default="continue,no message"),
    "cmi.total_time": {"type": "timeinterval", "access": "ro", "default": "PT0H0M0S"},
    **score("cmi.score", False),
    "cmi.objectives.n.id": {
        "type": "long_identifier",
        "spm": 4000,
        "access": "rw",
        "unique": True,
        "immutable": True,
    },
    **score("cmi.objectives.n.score", True),
    "cmi.objectives.n.success_status": state("rw", SUCCESS, default="unknown", requires="id"),
    "cmi.objectives.n.completion_status": state("rw", COMPLETION, default="unknown", requires="id"),
    "cmi.objectives.n.progress_measure": real("rw", 0, 1, requires="id"),
    "cmi.objectives.n.description": local("rw", 250, requires="id"),
    "cmi.interactions.n.id": {"type": "long_identifier", "spm": 4000, "access": "rw"},
    "cmi.interactions.n.type": state("rw", list(PATTERN_LIMITS), requires="id"),
    "cmi.interactions.n.objectives.n.id": {
        "type": "long_identifier",
        "spm": 4000,
        "access": "rw",
        "unique": True,
        "requires": "^id",
    },
    "cmi.interactions.n.timestamp": stamp("rw", requires="id"),
    "cmi.interactions.n.correct_responses.n.pattern": {
        "type": "characterstring",
        "access": "rw",
        "requires": "^type",
        "response": "pattern",
    },
    "cmi.interactions.n.weighting": real("rw", requires="id"),
    "cmi.interactions.n.learner_response": {
        "type": "characterstring",
        "access": "rw",
        "requires": "type",
        "response": "learner_response",
    },
    "cmi.interactions.n.result": {
        "type": "result",
        "access": "rw",
        "requires": "id",
        "vocab": ["correct", "incorrect", "unanticipated", "neutral"],
    },
    "cmi.interactions.n.latency": {"type": "timeinterval", "access": "rw", "requires": "id"},
    "cmi.interactions.n.description": local("rw", 250, requires="id"),
    "adl.nav.request": {"type": "nav_request", "access": "rw", "vocab": NAV, "default": "_none_"},
    "adl.nav.request_valid.continue": state("ro", NAV_VALID, default="unknown"),
    "adl.nav.request_valid.previous": state("ro", NAV_VALID, default="unknown"),
    "adl.nav.request_valid.choice.{target}": state("ro", NAV_VALID, default="unknown"),
    "adl.nav.request_valid.jump.{target}": state("ro", NAV_VALID, default="unknown"),
    "adl.data.n.id": {"type": "long_identifier", "spm": 4000, "access": "ro"},
    "adl.data.n.store": chars("rw", 64000, shared=True),
}
for _name, _spec in comments("rw").items():
    ELEMENTS_2004[f"cmi.comments_from_learner.n.{_name}"] = _spec
for _name, _spec in comments("ro").items():
    ELEMENTS_2004[f"cmi.comments_from_lms.n.{_name}"] = _spec
for _spec in ELEMENTS_2004.values():
    if _spec.get("requires", "") is None:
        del _spec["requires"]

GROUPS_2004 = {
    "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.score": "scaled,raw,min,max",
    "cmi.objectives.n.score": "scaled,raw,min,max",
}

#: "max" is the collection's SPM (RTE 4.2): the LMS stores that many entries and refuses
#: one more with 351 (General Set Failure), so no SCO can grow its state without bound.
COLLECTIONS_2004 = {
    "cmi.comments_from_learner": {"children": "comment,location,timestamp", "max": 250},
    "cmi.comments_from_lms": {"children": "comment,location,timestamp", "readonly": True},
    "cmi.objectives": {
        "children": "id,score,success_status,completion_status,progress_measure,description",
        "max": 100,
    },
    "cmi.interactions": {
        "children": "id,type,objectives,timestamp,correct_responses,"
        "weighting,learner_response,result,latency,description",
        "max": 250,
    },
    "cmi.interactions.n.objectives": {"children": "id", "max": 10},
    "cmi.interactions.n.correct_responses": {"children": "pattern", "limit_by_type": True},
    "adl.data": {"children": "id,store", "readonly": True},
}

TABLE_2004 = {
    "version": "2004",
    "data_model_version": "1.0",
    "errors": ERRORS_2004,
    "elements": ELEMENTS_2004,
    "groups": GROUPS_2004,
    "collections": COLLECTIONS_2004,
    "pattern_limits": PATTERN_LIMITS,
    "limits": {"suspend_data": 64000},
}
