"""GetValue/SetValue over a flat dict of data model values, with SCORM error codes.

Values live in a flat dict of strings keyed by the full element name
("cmi.objectives.0.id"); collection sizes live under "<collection>._count". get_value
and set_value raise ModelError(code, diagnostic) on failure. runtime-model.js is the
JavaScript twin of this module and must stay in step with it.
"""

import re
from functools import lru_cache

from .datatypes import validate
from .responses import check_learner_response, check_pattern

INDEX = re.compile(r"^(0|[1-9]\d{0,8})\Z", re.ASCII)
TARGET = re.compile(r"^\{target=([^}\s\x1c-\x1f\x85\ufeff]+)\}\Z")
NAV_TARGET = re.compile(r"^\{target=([^}\s\x1c-\x1f\x85\ufeff]+)\}(choice|jump)\Z")

# Error code per failure kind and version.
CODES = {
    "1.2": {
        "get_empty": "201",
        "set_empty": "201",
        "undefined": "401",
        "no_children": "202",
        "no_count": "203",
        "keyword": "402",
        "read_only": "403",
        "write_only": "404",
        "get_index": "201",
        "set_index": "201",
        "type": "405",
        "range": "405",
        "not_set": None,
        "dependency": "201",
        "set_failure": "201",
    },
    "2004": {
        "get_empty": "301",
        "set_empty": "351",
        "undefined": "401",
        "no_children": "301",
        "no_count": "301",
        "keyword": "404",
        "read_only": "404",
        "write_only": "405",
        "get_index": "301",
        "set_index": "351",
        "type": "406",
        "range": "407",
        "not_set": "403",
        "dependency": "408",
        "set_failure": "351",
    },
}


class ModelError(Exception):
    """A failed GetValue/SetValue: code is the SCORM error code as a string."""

    def __init__(self, code, diagnostic):
        """Keep the error code and a human-readable diagnostic."""
        super().__init__(f"{code}: {diagnostic}")
        self.code = code
        self.diagnostic = diagnostic


def parse(name):
    """Split name into (pattern with "n" for indices, tuple of indices)."""
    return _parse_known(name) if len(name) <= KNOWN_NAME_MAX else _parse(name)


#: Names up to this length are parsed once per process (a SCO sets the same few names
#: again and again); longer ones are no element names anyway.
KNOWN_NAME_MAX = 255
NAV_PREFIXES = ("adl.nav.request_valid.choice.", "adl.nav.request_valid.jump.")


def _parse(name):
    """parse() without the cache."""
    for prefix in NAV_PREFIXES:
        if name.startswith(prefix) and TARGET.match(name[len(prefix) :]):
            return prefix + "{target}", ()
    parts, indices = [], []
    for part in name.split("."):
        if INDEX.match(part):
            parts.append("n")
            indices.append(int(part))
        else:
            parts.append(part)
    return ".".join(parts), tuple(indices)


_parse_known = lru_cache(maxsize=2048)(_parse)


def instantiate(pattern, indices):
    """Replace the "n" segments of pattern with indices, in order."""
    out, it = [], iter(indices)
    for part in pattern.split("."):
        out.append(str(next(it)) if part == "n" else part)
    return ".".join(out)


def levels(pattern, indices):
    """Yield (collection instance name, index, entry name) per collection level."""
    parts = pattern.split(".")
    k = 0
    for pos, part in enumerate(parts):
        if part == "n":
            coll_pattern = ".".join(parts[:pos])
            coll = instantiate(coll_pattern, indices[:k])
            yield coll_pattern, coll, indices[k], f"{coll}.{indices[k]}"
            k += 1


class DataModel:
    """The data model of one SCO session: a table plus a state's values and limits."""

    def __init__(self, table, values, limits=None, shared_access=None):
        """Bind the element table to a values dict (changed in place)."""
        self.table = table
        self.version = table["version"]
        self.codes = CODES[self.version]
        self.values = values
        self.limits = dict(table.get("limits", {}), **(limits or {}))
        self.shared_access = shared_access or {}

    def fail(self, kind, diagnostic):
        """Raise the ModelError of failure kind."""
        raise ModelError(self.codes[kind], diagnostic)

    def count(self, collection):
        """Return the number of entries of a collection instance."""
        return int(self.values.get(f"{collection}._count", "0"))

    def check_levels(self, pattern, indices, kind):
        """Fail with kind when an index of name is outside its collection."""
        for _cp, coll, index, _entry in levels(pattern, indices):
            if index >= self.count(coll):
                self.fail(kind, f"{coll} has no entry {index}")

    def keyword(self, name, pattern, indices):
        """GetValue of a name ending in _children, _count or _version."""
        base, _, last = pattern.rpartition(".")
        tbl = self.table
        if last == "_version":
            if base != "cmi":
                self.fail("undefined", f"{name} is not defined")
            return tbl["data_model_version"]
        known = base in tbl["collections"] or base in tbl["groups"]
        if not known:
            if base in tbl["elements"]:
                self.fail(
                    "no_children" if last == "_children" else "no_count", f"{base} has no {last}"
                )
            self.fail("undefined", f"{name} is not defined")
        self.check_levels(base, indices, "get_index")
        if last == "_count":
            if base not in tbl["collections"]:
                self.fail("no_count", f"{base} is not a collection")
            return str(self.count(instantiate(base, indices)))
        children = (tbl["collections"].get(base) or {}).get("children") or tbl["groups"].get(base)
        if not children:
            self.fail("no_children", f"{base} has no _children")
        return children

    def get_value(self, name):
        """Return the value of name or raise ModelError."""
        if name == "":
            self.fail("get_empty", "GetValue needs an element name")
        pattern, indices = parse(name)
        if pattern.rpartition(".")[2] in ("_children", "_count", "_version"):
            return self.keyword(name, pattern, indices)
        spec = self.table["elements"].get(pattern)
        if spec is None:
            self.fail("undefined", f"{name} is not defined")
        if spec["access"] == "wo":
            self.fail("write_only", f"{name} is write-only")
        self.check_levels(pattern, indices, "get_index")
        if spec.get("shared") and "r" not in self.shared_access.get(self.store_id(name), ""):
            self.fail("write_only", f"{name} may not be read")
        value = self.values.get(name)
        if spec.get("evaluated"):
            return self.evaluated(spec["evaluated"], value)
        if value is None:
            value = spec.get("default")
        if value is None:
            if self.codes["not_set"]:
                self.fail("not_set", f"{name} has no value")
            return ""
        return value

    def store_id(self, name):
        """Return the id of the adl.data store that name belongs to."""
        return self.values.get(name.rpartition(".")[0] + ".id", "")

    def evaluated(self, kind, stored):
        """The 2004 completion/success status as GetValue reports it."""
        if kind == "completion":
            limit, measure, words = (
                "cmi.completion_threshold",
                "cmi.progress_measure",
                ("completed", "incomplete"),
            )
        else:
            limit, measure, words = (
                "cmi.scaled_passing_score",
                "cmi.score.scaled",
                ("passed", "failed"),
            )
        threshold = self.values.get(limit)
        if threshold not in (None, ""):
            value = self.values.get(measure)
            if value is None:
                return "unknown"
            return words[0] if float(value) >= float(threshold) else words[1]
        return stored if stored is not None else "unknown"

    def set_value(self, name, value):
        """Store value under name or raise ModelError; the values dict changes on success."""
        if name == "":
            self.fail("set_empty", "SetValue needs an element name")
        pattern, indices = parse(name)
        tbl = self.table
        base, _, last = pattern.rpartition(".")
        if last in ("_children", "_count", "_version"):
            if (
                base in tbl["collections"]
                or base in tbl["groups"]
                or (last == "_version" and base == "cmi")
            ):
                self.fail("keyword", f"{name} is a keyword and read-only")
            self.fail("undefined", f"{name} is not defined")
        spec = tbl["elements"].get(pattern)
        if spec is None:
            self.fail("undefined", f"{name} is not defined")
        if spec["access"] == "ro":
            self.fail("read_only", f"{name} is read-only")
        created = self.check_set_levels(pattern, indices, spec)
        if spec.get("shared") and "w" not in self.shared_access.get(self.store_id(name), ""):
            self.fail("read_only", f"{name} may not be written")
        self.check_value(name, pattern, indices, spec, value)
        for coll in created:
            self.values[f"{coll}._count"] = str(self.count(coll) + 1)
        self.values[name] = value

    def check_set_levels(self, pattern, indices, spec):
        """Check indices and dependencies for SetValue; return collections to grow."""
        created = []
        all_levels = list(levels(pattern, indices))
        for depth, (cp, coll, index, entry) in enumerate(all_levels):
            size = 0 if created else self.count(coll)
            if index > size:
                self.fail("set_index", f"{coll}: index {index} skips entries (count {size})")
            if index == size:
                collection = self.table["collections"].get(cp, {})
                if collection.get("readonly"):
                    self.fail("set_failure", f"{coll} cannot grow")
                if index >= collection.get("max", index + 1):
                    self.fail("set_failure", f"{coll} holds at most {collection['max']} entries")
                if self.version == "2004" and depth < len(all_levels) - 1:
                    self.fail("dependency", f"{entry}.id must be set first")
                created.append(coll)
        requires = spec.get("requires")
        if requires and self.version == "2004":
            own = all_levels[-1][3]
            entry = all_levels[-2][3] if requires.startswith("^") else own
            field = requires.lstrip("^")
            new_entry = created and entry == own
            if new_entry or self.values.get(f"{entry}.{field}") is None:
                self.fail("dependency", f"{entry}.{field} must be set first")
        return created

    def check_value(self, name, pattern, indices, spec, value):
        """Validate value for spec; raise ModelError on type, range or rule failures."""
        if value in spec.get("refuse", ()):
            self.fail("type", f"{name} may not be set to {value!r} by the SCO")
        response = spec.get("response")
        if response:
            interaction = f"cmi.interactions.{indices[0]}"
            kind = self.values.get(f"{interaction}.type")
            checker = check_pattern if response == "pattern" else check_learner_response
            if not checker(kind, value):
                self.fail("type", f"{value!r} is no valid {response} for type {kind}")
            if response == "pattern" and indices[-1] >= self.table["pattern_limits"][kind]:
                self.fail("set_failure", f"type {kind} allows at most {indices[-1]} patterns")
            return
        if spec["type"] == "nav_request":
            if value not in spec["vocab"] and not NAV_TARGET.match(value):
                self.fail("type", f"{value!r} is no navigation request")
            return
        if spec.get("limit"):
            spec = dict(spec, spm=int(self.limits[spec["limit"]]))
        problem = validate(value, spec)
        if problem:
            self.fail(problem, f"{value!r} does not fit {spec['type']} of {name}")
        if spec.get("immutable") and self.values.get(name) not in (None, value):
            self.fail("set_failure", f"{name} is already set and cannot change")
        if spec.get("unique"):
            self.check_unique(name, pattern, indices, value)

    def check_unique(self, name, pattern, indices, value):
        """Fail with 351 when another entry of the collection has the same id."""
        _cp, coll, index, _entry = list(levels(pattern, indices))[-1]
        field = pattern.rpartition(".")[2]
        for other in range(self.count(coll)):
            if other != index and self.values.get(f"{coll}.{other}.{field}") == value:
                self.fail("set_failure", f"{value!r} is already used by {coll}.{other}")
