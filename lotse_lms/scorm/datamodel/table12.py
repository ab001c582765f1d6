"""The SCORM 1.2 run-time data model as a declarative element table.

Element names use "n" for a collection index. Spec keys: type (a validator name in
datatypes.VALIDATORS), access (ro/wo/rw), spm, vocab, range, blank (CMIBlank allowed),
default (value before anything is stored), refuse (values the SCO may not set),
limit (a state limit that replaces the SPM, e.g. suspend_data).
"""

ERRORS_12 = {
    "0": "No error",
    "101": "General exception",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element not an array - cannot have count",
    "301": "Not initialized",
    "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword",
    "403": "Element is read only",
    "404": "Element is write only",
    "405": "Incorrect data type",
}

STATUS = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"]
SCORE = {"type": "CMIDecimal", "access": "rw", "blank": True, "range": [0, 100]}
TIME_LIMIT = ["exit,message", "exit,no message", "continue,message", "continue,no message"]


def s255(access, **extra):
    """A CMIString255 element."""
    return {"type": "CMIString", "spm": 255, "access": access, **extra}


def s4096(access, **extra):
    """A CMIString4096 element."""
    return {"type": "CMIString", "spm": 4096, "access": access, **extra}


def vocab(access, words, **extra):
    """A CMIVocabulary element."""
    return {"type": "CMIVocabulary", "vocab": words, "access": access, **extra}


ELEMENTS_12 = {
    "cmi.core.student_id": {"type": "CMIIdentifier", "access": "ro"},
    "cmi.core.student_name": s255("ro"),
    "cmi.core.lesson_location": s255("rw"),
    "cmi.core.credit": vocab("ro", ["credit", "no-credit"], default="credit"),
    "cmi.core.lesson_status": vocab(
        "rw", STATUS, refuse=["not attempted"], default="not attempted"
    ),
    "cmi.core.entry": vocab("ro", ["ab-initio", "resume", ""], default="ab-initio"),
    "cmi.core.score.raw": dict(SCORE),
    "cmi.core.score.min": dict(SCORE),
    "cmi.core.score.max": dict(SCORE),
    "cmi.core.total_time": {"type": "CMITimespan", "access": "ro", "default": "0000:00:00.00"},
    "cmi.core.lesson_mode": vocab("ro", ["browse", "normal", "review"], default="normal"),
    "cmi.core.exit": vocab("wo", ["time-out", "suspend", "logout", ""]),
    "cmi.core.session_time": {"type": "CMITimespan", "access": "wo"},
    "cmi.suspend_data": s4096("rw", limit="suspend_data"),
    "cmi.launch_data": s4096("ro"),
    "cmi.comments": s4096("rw"),
    "cmi.comments_from_lms": s4096("ro"),
    "cmi.objectives.n.id": {"type": "CMIIdentifier", "access": "rw"},
    "cmi.objectives.n.score.raw": dict(SCORE),
    "cmi.objectives.n.score.min": dict(SCORE),
    "cmi.objectives.n.score.max": dict(SCORE),
    "cmi.objectives.n.status": vocab("rw", STATUS),
    "cmi.student_data.mastery_score": {"type": "CMIDecimal", "access": "ro", "range": [0, 100]},
    "cmi.student_data.max_time_allowed": {"type": "CMITimespan", "access": "ro"},
    "cmi.student_data.time_limit_action": vocab("ro", TIME_LIMIT, default="continue,no message"),
    "cmi.student_preference.audio": {
        "type": "CMISInteger",
        "access": "rw",
        "range": [-1, 100],
        "default": "0",
    },
    "cmi.student_preference.language": s255("rw"),
    "cmi.student_preference.speed": {
        "type": "CMISInteger",
        "access": "rw",
        "range": [-100, 100],
        "default": "0",
    },
    "cmi.student_preference.text": {
        "type": "CMISInteger",
        "access": "rw",
        "range": [-1, 1],
        "default": "0",
    },
    "cmi.interactions.n.id": {"type": "CMIIdentifier", "access": "wo"},
    "cmi.interactions.n.objectives.n.id": {"type": "CMIIdentifier", "access": "wo"},
    "cmi.interactions.n.time": {"type": "CMITime", "access": "wo"},
    "cmi.interactions.n.type": vocab(
        "wo",
        [
            "true-false",
            "choice",
            "fill-in",
            "matching",
            "performance",
            "sequencing",
            "likert",
            "numeric",
        ],
    ),
    "cmi.interactions.n.correct_responses.n.pattern": s255("wo"),
    "cmi.interactions.n.weighting": {"type": "CMIDecimal", "access": "wo"},
    "cmi.interactions.n.student_response": s255("wo"),
    "cmi.interactions.n.result": {
        "type": "CMIResult",
        "access": "wo",
        "vocab": ["correct", "wrong", "unanticipated", "neutral"],
    },
    "cmi.interactions.n.latency": {"type": "CMITimespan", "access": "wo"},
}

GROUPS_12 = {
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
    "total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max",
    "cmi.objectives.n.score": "raw,min,max",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
}

#: SCORM 1.2 names no collection sizes; the LMS keeps as many as SCORM 2004's SPMs (and
#: refuses one more with 201), so no SCO can grow its state without bound.
COLLECTIONS_12 = {
    "cmi.objectives": {"children": "id,score,status", "max": 100},
    "cmi.interactions": {
        "children": "id,objectives,time,type,correct_responses,weighting,"
        "student_response,result,latency",
        "max": 250,
    },
    "cmi.interactions.n.objectives": {"max": 10},
    "cmi.interactions.n.correct_responses": {"max": 10},
}

TABLE_12 = {
    "version": "1.2",
    "data_model_version": "3.4",
    "errors": ERRORS_12,
    "elements": ELEMENTS_12,
    "groups": GROUPS_12,
    "collections": COLLECTIONS_12,
    "limits": {"suspend_data": 4096},
}
