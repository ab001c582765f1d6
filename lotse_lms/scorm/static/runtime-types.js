/* SCORM 1.2 / 2004 value validators and interaction response formats.
 * JavaScript twin of lotse_lms/scorm/datamodel/datatypes.py and responses.py; the case
 * files in tests/scorm/cases/ drive both. A validator returns null (valid), "type" or
 * "range". Exposes LotseScormRuntime.types. */
(function (root) {
  "use strict";
  var NS = root.LotseScormRuntime = root.LotseScormRuntime || {};

  var DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;
  var SINTEGER = /^-?\d+$/;
  var TIME_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var TIMESPAN_12 = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var DURATION = /^P(?=.)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  var TIMESTAMP = new RegExp("^(\\d{4})(-(\\d{2})(-(\\d{2})(T([01]\\d|2[0-3])(:([0-5]\\d)" +
    "(:([0-5]\\d)(\\.\\d{1,2})?(Z|[+-]([01]\\d|2[0-3])(:[0-5]\\d)?)?)?)?)?)?)?$");
  var LANGUAGE = /^([A-Za-z]{2,3}|[iIxX])(-[A-Za-z0-9]{1,8})*$/;
  var URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s\x00-\x1f\x7f\x85\ufeff]+$/i;
  var NO_SPACE = /^[^\s\x00-\x1f\x7f\x85\ufeff]+$/;
  var LANG_PREFIX = /^\{lang=([^}]*)\}/;
  var FLAG = /^\{(case_matters|order_matters)=(true|false)\}/;
  var PATTERN_LIMITS = {"true-false": 1, "choice": 10, "fill-in": 5, "long-fill-in": 5,
    "likert": 1, "matching": 5, "performance": 5, "sequencing": 5, "numeric": 1, "other": 1};

  function inRange(num, spec) {
    var r = spec.range || [null, null];
    if (r[0] !== null && num < r[0]) { return "range"; }
    if (r[1] !== null && num > r[1]) { return "range"; }
    return null;
  }
  function checkSpm(value, spec) {
    return (spec.spm !== undefined && spec.spm !== null && value.length > spec.spm) ? "type" : null;
  }
  function isLanguage(value) {
    if (value.length > 250 || !LANGUAGE.test(value)) { return false; }
    var low = value.toLowerCase();
    return low !== "i" && low !== "x";
  }
  /* Returns [lang or null, rest] or null when the {lang=} prefix is malformed. */
  function splitLang(value) {
    var m = LANG_PREFIX.exec(value);
    if (!m) { return [null, value]; }
    if (!isLanguage(m[1])) { return null; }
    return [m[1], value.slice(m[0].length)];
  }
  function isIdentifier(value, spm) {
    if (value === "" || value.length > spm || !NO_SPACE.test(value)) { return false; }
    if (value.toLowerCase().indexOf("urn:") === 0) { return URN.test(value); }
    return true;
  }
  function daysInMonth(year, month) {
    if (month === 2) {
      return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
    }
    return [4, 6, 9, 11].indexOf(month) >= 0 ? 30 : 31;
  }

  var V = {
    CMIString: checkSpm,
    characterstring: checkSpm,
    CMIIdentifier: function (v) { return NO_SPACE.test(v) && v.length <= 255 ? null : "type"; },
    CMIDecimal: function (v, s) {
      if (v === "" && s.blank) { return null; }
      if (!DECIMAL.test(v)) { return "type"; }
      return inRange(Number(v), s) ? "type" : null;
    },
    CMISInteger: function (v, s) {
      if (!SINTEGER.test(v)) { return "type"; }
      var n = parseInt(v, 10);
      if (n < -32768 || n > 32767) { return "type"; }
      return inRange(n, s) ? "type" : null;
    },
    CMITime: function (v) { return TIME_12.test(v) ? null : "type"; },
    CMITimespan: function (v) { return TIMESPAN_12.test(v) ? null : "type"; },
    CMIVocabulary: function (v, s) { return s.vocab.indexOf(v) >= 0 ? null : "type"; },
    state: function (v, s) { return s.vocab.indexOf(v) >= 0 ? null : "type"; },
    CMIResult: function (v, s) { return s.vocab.indexOf(v) >= 0 || DECIMAL.test(v) ? null : "type"; },
    result: function (v, s) { return s.vocab.indexOf(v) >= 0 || DECIMAL.test(v) ? null : "type"; },
    real: function (v, s) { return DECIMAL.test(v) ? inRange(Number(v), s) : "type"; },
    timeinterval: function (v) { return DURATION.test(v) ? null : "type"; },
    time: function (v) {
      var m = TIMESTAMP.exec(v);
      if (!m) { return "type"; }
      var year = parseInt(m[1], 10);
      if (year < 1970 || year > 2038) { return "type"; }
      if (m[3] !== undefined) {
        var month = parseInt(m[3], 10);
        if (month < 1 || month > 12) { return "type"; }
        if (m[5] !== undefined) {
          var day = parseInt(m[5], 10);
          if (day < 1 || day > daysInMonth(year, month)) { return "type"; }
        }
      }
      return null;
    },
    language: function (v) { return v === "" || isLanguage(v) ? null : "type"; },
    localized_string: function (v, s) {
      var parts = splitLang(v);
      return parts === null ? "type" : checkSpm(parts[1], s);
    },
    long_identifier: function (v, s) {
      return isIdentifier(v, s.spm === undefined ? 4000 : s.spm) ? null : "type";
    },
    short_identifier: function (v) { return isIdentifier(v, 250) ? null : "type"; }
  };

  function validate(value, spec) { return V[spec.type](value, spec); }

  /* ---- interaction responses (SCORM 2004) ---- */
  function takeFlags(value, allowed) {
    var seen = {};
    for (;;) {
      var m = FLAG.exec(value);
      if (!m) { return value; }
      if (allowed.indexOf(m[1]) < 0 || seen[m[1]]) { return null; }
      seen[m[1]] = true;
      value = value.slice(m[0].length);
    }
  }
  function shortIds(value, limit, allowEmpty, unique) {
    if (value === "") { return !!allowEmpty; }
    var items = value.split("[,]");
    if (items.length > limit) { return false; }
    for (var i = 0; i < items.length; i++) {
      if (!isIdentifier(items[i], 250)) { return false; }
      if (unique && items.indexOf(items[i]) !== i) { return false; }
    }
    return true;
  }
  function localizedItems(value, limit, spm) {
    var items = value.split("[,]");
    if (items.length > limit) { return false; }
    for (var i = 0; i < items.length; i++) {
      var parts = splitLang(items[i]);
      if (parts === null || parts[1].length > spm) { return false; }
    }
    return true;
  }
  function longText(value) {
    var parts = splitLang(value);
    return parts !== null && parts[1].length <= 4000;
  }
  function isReal(value) { return DECIMAL.test(value); }
  function partition(value, sep) {
    var at = value.indexOf(sep);
    return at < 0 ? [value, false, ""] : [value.slice(0, at), true, value.slice(at + sep.length)];
  }
  function numericRange(value) {
    var p = partition(value, "[:]");
    if (!p[1]) { return false; }
    if ((p[0] && !isReal(p[0])) || (p[2] && !isReal(p[2]))) { return false; }
    return !(p[0] && p[2] && Number(p[0]) > Number(p[2]));
  }
  function pairs(value, limit) {
    var items = value.split("[,]");
    if (value === "" || items.length > limit) { return false; }
    for (var i = 0; i < items.length; i++) {
      var p = partition(items[i], "[.]");
      if (!p[1] || !isIdentifier(p[0], 250) || !isIdentifier(p[2], 250)) { return false; }
    }
    return true;
  }
  function steps(value, pattern) {
    var items = value.split("[,]");
    if (value === "" || items.length > 125) { return false; }
    for (var i = 0; i < items.length; i++) {
      var p = partition(items[i], "[.]");
      if (!p[1] || (p[0] === "" && p[2] === "")) { return false; }
      if (p[0] && !isIdentifier(p[0], 250)) { return false; }
      if (p[2].length > 250) { return false; }
      if (pattern && p[2].indexOf("[:]") >= 0 && !numericRange(p[2])) { return false; }
    }
    return true;
  }
  function checkPattern(kind, value) {
    var rest;
    switch (kind) {
      case "true-false": return value === "true" || value === "false";
      case "choice": return shortIds(value, 36, true, true);
      case "fill-in":
        rest = takeFlags(value, ["case_matters", "order_matters"]);
        return rest !== null && localizedItems(rest, 10, 250);
      case "long-fill-in":
        rest = takeFlags(value, ["case_matters"]);
        return rest !== null && longText(rest);
      case "likert": return isIdentifier(value, 250);
      case "matching": return pairs(value, 36);
      case "performance":
        rest = takeFlags(value, ["order_matters"]);
        return rest !== null && steps(rest, true);
      case "sequencing": return shortIds(value, 36, false, false);
      case "numeric": return numericRange(value) || isReal(value);
      case "other": return value.length <= 4000;
      default: return false;
    }
  }
  function checkLearnerResponse(kind, value) {
    switch (kind) {
      case "true-false": return value === "true" || value === "false";
      case "choice": return shortIds(value, 36, true, true);
      case "fill-in": return localizedItems(value, 10, 250);
      case "long-fill-in": return longText(value);
      case "likert": return isIdentifier(value, 250);
      case "matching": return pairs(value, 36);
      case "performance": return steps(value, false);
      case "sequencing": return shortIds(value, 36, false, false);
      case "numeric": return isReal(value);
      case "other": return value.length <= 4000;
      default: return false;
    }
  }

  NS.types = {
    validate: validate,
    checkPattern: checkPattern,
    checkLearnerResponse: checkLearnerResponse,
    PATTERN_LIMITS: PATTERN_LIMITS,
    TIMESPAN_12: TIMESPAN_12,
    DURATION: DURATION
  };
})(typeof window !== "undefined" ? window : globalThis);
