"""The SCORM API semantics (both versions) over a DataModel, as the SCO sees them.

Runtime mirrors window.API (1.2) / window.API_1484_11 (2004) of runtime-api.js: same
method names, string arguments and results, same error codes. It records the successful
SetValue calls in order (Runtime.calls), which is what a commit carries to the server.
"""

import copy

from .model import DataModel, ModelError
from .tables import table_for

METHODS = {
    "1.2": {
        "LMSInitialize": "initialize",
        "LMSFinish": "terminate",
        "LMSGetValue": "get_value",
        "LMSSetValue": "set_value",
        "LMSCommit": "commit",
        "LMSGetLastError": "get_last_error",
        "LMSGetErrorString": "get_error_string",
        "LMSGetDiagnostic": "get_diagnostic",
    },
    "2004": {
        "Initialize": "initialize",
        "Terminate": "terminate",
        "GetValue": "get_value",
        "SetValue": "set_value",
        "Commit": "commit",
        "GetLastError": "get_last_error",
        "GetErrorString": "get_error_string",
        "GetDiagnostic": "get_diagnostic",
    },
}
# Error codes per version: (before initialization, after termination) per call kind.
STATE_CODES = {
    "1.2": {
        "terminate": ("301", "301"),
        "get": ("301", "301"),
        "set": ("301", "301"),
        "commit": ("301", "301"),
    },
    "2004": {
        "terminate": ("112", "113"),
        "get": ("122", "123"),
        "set": ("132", "133"),
        "commit": ("142", "143"),
    },
}


class Runtime:
    """One SCO session's API object on a copy of a state's values."""

    def __init__(self, state):
        """Start a not-yet-initialized API over a copy of state (from client_state)."""
        self.version = state["version"]
        self.table = table_for(self.version)
        self.values = copy.deepcopy(state["values"])
        self.model = DataModel(
            self.table, self.values, state.get("limits"), state.get("shared_access")
        )
        self.initialized = False
        self.terminated = False
        self.error = "0"
        self.diagnostic = ""
        self.calls = []

    def call(self, method, *args):
        """Invoke an API method by its SCORM name ("LMSGetValue", "SetValue", ...)."""
        name = METHODS[self.version].get(method)
        if name is None:
            raise AttributeError(f"{method} is no SCORM {self.version} API method")
        return getattr(self, name)(*[str(arg) for arg in args])

    def ok(self, result="true"):
        """Record success and return result."""
        self.error, self.diagnostic = "0", ""
        return result

    def failed(self, code, diagnostic, result="false"):
        """Record an error and return result."""
        self.error, self.diagnostic = code, diagnostic
        return result

    def state_error(self, kind):
        """Return the error code when the session state forbids kind, else None."""
        before, after = STATE_CODES[self.version][kind]
        if self.terminated:
            return after
        if not self.initialized:
            return before
        return None

    def initialize(self, arg=""):
        """Initialize("") / LMSInitialize("")."""
        if self.terminated:
            code = "104" if self.version == "2004" else "101"
            return self.failed(code, "the session has already been terminated")
        if self.initialized:
            code = "103" if self.version == "2004" else "101"
            return self.failed(code, "the session is already initialized")
        if arg != "":
            return self.failed("201", "the argument must be the empty string")
        self.initialized = True
        return self.ok()

    def terminate(self, arg=""):
        """Terminate("") / LMSFinish("")."""
        code = self.state_error("terminate")
        if code:
            return self.failed(code, "the session is not running")
        if arg != "":
            return self.failed("201", "the argument must be the empty string")
        self.terminated = True
        return self.ok()

    def commit(self, arg=""):
        """Commit("") / LMSCommit("")."""
        code = self.state_error("commit")
        if code:
            return self.failed(code, "the session is not running")
        if arg != "":
            return self.failed("201", "the argument must be the empty string")
        return self.ok()

    def get_value(self, name):
        """GetValue(name) / LMSGetValue(name); "" on error."""
        code = self.state_error("get")
        if code:
            return self.failed(code, "the session is not running", "")
        try:
            return self.ok(self.model.get_value(name))
        except ModelError as exc:
            return self.failed(exc.code, exc.diagnostic, "")

    def set_value(self, name, value):
        """SetValue(name, value) / LMSSetValue(name, value)."""
        code = self.state_error("set")
        if code:
            return self.failed(code, "the session is not running")
        try:
            self.model.set_value(name, value)
        except ModelError as exc:
            return self.failed(exc.code, exc.diagnostic)
        self.calls.append([name, value])
        return self.ok()

    def get_last_error(self):
        """GetLastError(): the code of the last call as a string."""
        return self.error

    def get_error_string(self, code):
        """GetErrorString(code): the standard text of code, "" if unknown."""
        return self.table["errors"].get(code, "")

    def get_diagnostic(self, code=""):
        """GetDiagnostic(code): detail of the last error ("" or its code), else the text."""
        if code in ("", self.error):
            return self.diagnostic or self.table["errors"].get(self.error, "")
        return self.table["errors"].get(code, "")
