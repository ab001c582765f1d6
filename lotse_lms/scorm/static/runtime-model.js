/* GetValue/SetValue over a flat object of data model values, with SCORM error codes.
 * JavaScript twin of lotse_lms/scorm/datamodel/model.py: keep both in step. Values are
 * strings keyed by full element names; collection sizes live under "<coll>._count".
 * Exposes LotseScormRuntime.DataModel and LotseScormRuntime.ModelError. */
(function (root) {
  "use strict";
  var NS = root.LotseScormRuntime = root.LotseScormRuntime || {};
  var types = NS.types;

  var INDEX = /^(0|[1-9]\d{0,8})$/;
  var TARGET = /^\{target=([^}\s\x1c-\x1f\x85\ufeff]+)\}$/;
  var NAV_TARGET = /^\{target=([^}\s\x1c-\x1f\x85\ufeff]+)\}(choice|jump)$/;
  var CODES = {
    "1.2": {get_empty: "201", set_empty: "201", undefined: "401", no_children: "202",
      no_count: "203", keyword: "402", read_only: "403", write_only: "404",
      get_index: "201", set_index: "201", type: "405", range: "405", not_set: null,
      dependency: "201", set_failure: "201"},
    "2004": {get_empty: "301", set_empty: "351", undefined: "401", no_children: "301",
      no_count: "301", keyword: "404", read_only: "404", write_only: "405",
      get_index: "301", set_index: "351", type: "406", range: "407", not_set: "403",
      dependency: "408", set_failure: "351"}
  };
  var KEYWORDS = ["_children", "_count", "_version"];

  function ModelError(code, diagnostic) { this.code = code; this.diagnostic = diagnostic; }

  function parse(name) {
    var kinds = ["choice", "jump"];
    for (var k = 0; k < kinds.length; k++) {
      var prefix = "adl.nav.request_valid." + kinds[k] + ".";
      if (name.indexOf(prefix) === 0 && TARGET.test(name.slice(prefix.length))) {
        return {pattern: prefix + "{target}", indices: []};
      }
    }
    var parts = name.split("."), out = [], indices = [];
    for (var i = 0; i < parts.length; i++) {
      if (INDEX.test(parts[i])) { out.push("n"); indices.push(parseInt(parts[i], 10)); }
      else { out.push(parts[i]); }
    }
    return {pattern: out.join("."), indices: indices};
  }
  function instantiate(pattern, indices) {
    var parts = pattern.split("."), k = 0;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "n") { parts[i] = String(indices[k++]); }
    }
    return parts.join(".");
  }
  function levels(pattern, indices) {
    var parts = pattern.split("."), out = [], k = 0;
    for (var pos = 0; pos < parts.length; pos++) {
      if (parts[pos] === "n") {
        var cp = parts.slice(0, pos).join(".");
        var coll = instantiate(cp, indices.slice(0, k));
        out.push({cp: cp, coll: coll, index: indices[k], entry: coll + "." + indices[k]});
        k++;
      }
    }
    return out;
  }
  function rpartition(text) {
    var at = text.lastIndexOf(".");
    return at < 0 ? ["", text] : [text.slice(0, at), text.slice(at + 1)];
  }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  function DataModel(table, values, limits, sharedAccess) {
    this.table = table;
    this.version = table.version;
    this.codes = CODES[this.version];
    this.values = values;
    this.limits = {};
    var key;
    for (key in (table.limits || {})) { this.limits[key] = table.limits[key]; }
    for (key in (limits || {})) { this.limits[key] = limits[key]; }
    this.sharedAccess = sharedAccess || {};
  }
  var P = DataModel.prototype;

  P.fail = function (kind, diagnostic) { throw new ModelError(this.codes[kind], diagnostic); };
  P.get = function (name) { return has(this.values, name) ? this.values[name] : null; };
  P.count = function (coll) {
    var c = this.get(coll + "._count");
    return c === null ? 0 : parseInt(c, 10);
  };
  P.checkLevels = function (pattern, indices, kind) {
    var lv = levels(pattern, indices);
    for (var i = 0; i < lv.length; i++) {
      if (lv[i].index >= this.count(lv[i].coll)) {
        this.fail(kind, lv[i].coll + " has no entry " + lv[i].index);
      }
    }
  };
  P.keyword = function (name, pattern, indices) {
    var rp = rpartition(pattern), base = rp[0], last = rp[1], tbl = this.table;
    if (last === "_version") {
      if (base !== "cmi") { this.fail("undefined", name + " is not defined"); }
      return tbl.data_model_version;
    }
    if (!has(tbl.collections, base) && !has(tbl.groups, base)) {
      if (has(tbl.elements, base)) {
        this.fail(last === "_children" ? "no_children" : "no_count", base + " has no " + last);
      }
      this.fail("undefined", name + " is not defined");
    }
    this.checkLevels(base, indices, "get_index");
    if (last === "_count") {
      if (!has(tbl.collections, base)) { this.fail("no_count", base + " is not a collection"); }
      return String(this.count(instantiate(base, indices)));
    }
    var children = (tbl.collections[base] || {}).children || tbl.groups[base];
    if (!children) { this.fail("no_children", base + " has no _children"); }
    return children;
  };
  P.storeId = function (name) {
    var v = this.get(rpartition(name)[0] + ".id");
    return v === null ? "" : v;
  };
  P.getValue = function (name) {
    if (name === "") { this.fail("get_empty", "GetValue needs an element name"); }
    var parsed = parse(name), pattern = parsed.pattern, indices = parsed.indices;
    if (KEYWORDS.indexOf(rpartition(pattern)[1]) >= 0) {
      return this.keyword(name, pattern, indices);
    }
    var spec = has(this.table.elements, pattern) ? this.table.elements[pattern] : null;
    if (spec === null) { this.fail("undefined", name + " is not defined"); }
    if (spec.access === "wo") { this.fail("write_only", name + " is write-only"); }
    this.checkLevels(pattern, indices, "get_index");
    if (spec.shared && (this.sharedAccess[this.storeId(name)] || "").indexOf("r") < 0) {
      this.fail("write_only", name + " may not be read");
    }
    var value = this.get(name);
    if (spec.evaluated) { return this.evaluated(spec.evaluated, value); }
    if (value === null) { value = spec["default"] === undefined ? null : spec["default"]; }
    if (value === null) {
      if (this.codes.not_set) { this.fail("not_set", name + " has no value"); }
      return "";
    }
    return value;
  };
  P.evaluated = function (kind, stored) {
    var limit = kind === "completion" ? "cmi.completion_threshold" : "cmi.scaled_passing_score";
    var measure = kind === "completion" ? "cmi.progress_measure" : "cmi.score.scaled";
    var words = kind === "completion" ? ["completed", "incomplete"] : ["passed", "failed"];
    var threshold = this.get(limit);
    if (threshold !== null && threshold !== "") {
      var value = this.get(measure);
      if (value === null) { return "unknown"; }
      return Number(value) >= Number(threshold) ? words[0] : words[1];
    }
    return stored !== null ? stored : "unknown";
  };
  P.setValue = function (name, value) {
    if (name === "") { this.fail("set_empty", "SetValue needs an element name"); }
    var parsed = parse(name), pattern = parsed.pattern, indices = parsed.indices;
    var tbl = this.table, rp = rpartition(pattern), base = rp[0], last = rp[1];
    if (KEYWORDS.indexOf(last) >= 0) {
      if (has(tbl.collections, base) || has(tbl.groups, base) ||
          (last === "_version" && base === "cmi")) {
        this.fail("keyword", name + " is a keyword and read-only");
      }
      this.fail("undefined", name + " is not defined");
    }
    var spec = has(tbl.elements, pattern) ? tbl.elements[pattern] : null;
    if (spec === null) { this.fail("undefined", name + " is not defined"); }
    if (spec.access === "ro") { this.fail("read_only", name + " is read-only"); }
    var created = this.checkSetLevels(pattern, indices, spec);
    if (spec.shared && (this.sharedAccess[this.storeId(name)] || "").indexOf("w") < 0) {
      this.fail("read_only", name + " may not be written");
    }
    this.checkValue(name, pattern, indices, spec, value);
    for (var i = 0; i < created.length; i++) {
      this.values[created[i] + "._count"] = String(this.count(created[i]) + 1);
    }
    this.values[name] = value;
  };
  P.checkSetLevels = function (pattern, indices, spec) {
    var created = [], lv = levels(pattern, indices);
    for (var d = 0; d < lv.length; d++) {
      var size = created.length ? 0 : this.count(lv[d].coll);
      if (lv[d].index > size) {
        this.fail("set_index", lv[d].coll + ": index " + lv[d].index + " skips entries");
      }
      if (lv[d].index === size) {
        var collection = this.table.collections[lv[d].cp] || {};
        if (collection.readonly) {
          this.fail("set_failure", lv[d].coll + " cannot grow");
        }
        if (collection.max !== undefined && lv[d].index >= collection.max) {
          this.fail("set_failure", lv[d].coll + " holds at most " + collection.max + " entries");
        }
        if (this.version === "2004" && d < lv.length - 1) {
          this.fail("dependency", lv[d].entry + ".id must be set first");
        }
        created.push(lv[d].coll);
      }
    }
    var requires = spec.requires;
    if (requires && this.version === "2004") {
      var own = lv[lv.length - 1].entry;
      var parent = requires.charAt(0) === "^";
      var entry = parent ? lv[lv.length - 2].entry : own;
      var field = parent ? requires.slice(1) : requires;
      var newEntry = created.length > 0 && entry === own;
      if (newEntry || this.get(entry + "." + field) === null) {
        this.fail("dependency", entry + "." + field + " must be set first");
      }
    }
    return created;
  };
  P.checkValue = function (name, pattern, indices, spec, value) {
    if ((spec.refuse || []).indexOf(value) >= 0) {
      this.fail("type", name + " may not be set to '" + value + "' by the SCO");
    }
    if (spec.response) {
      var kind = this.get("cmi.interactions." + indices[0] + ".type");
      var ok = spec.response === "pattern" ? types.checkPattern(kind, value)
        : types.checkLearnerResponse(kind, value);
      if (!ok) { this.fail("type", "no valid " + spec.response + " for type " + kind); }
      if (spec.response === "pattern" &&
          indices[indices.length - 1] >= this.table.pattern_limits[kind]) {
        this.fail("set_failure", "type " + kind + " allows no more patterns");
      }
      return;
    }
    if (spec.type === "nav_request") {
      if (spec.vocab.indexOf(value) < 0 && !NAV_TARGET.test(value)) {
        this.fail("type", "'" + value + "' is no navigation request");
      }
      return;
    }
    if (spec.limit) {
      var copy = {};
      for (var key in spec) { copy[key] = spec[key]; }
      copy.spm = parseInt(this.limits[spec.limit], 10);
      spec = copy;
    }
    var problem = types.validate(value, spec);
    if (problem) { this.fail(problem, "'" + value + "' does not fit " + spec.type + " of " + name); }
    var current = this.get(name);
    if (spec.immutable && current !== null && current !== value) {
      this.fail("set_failure", name + " is already set and cannot change");
    }
    if (spec.unique) {
      var lv = levels(pattern, indices), last = lv[lv.length - 1];
      var field = rpartition(pattern)[1];
      for (var other = 0; other < this.count(last.coll); other++) {
        if (other !== last.index && this.get(last.coll + "." + other + "." + field) === value) {
          this.fail("set_failure", "'" + value + "' is already used by " + last.coll + "." + other);
        }
      }
    }
  };

  NS.DataModel = DataModel;
  NS.ModelError = ModelError;
})(typeof window !== "undefined" ? window : globalThis);
