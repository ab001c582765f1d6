/* lotse_reflection XBlock: saves the learner's answer through the save_answer handler and
 * shows the character count. The server checks the answer again; all texts come translated. */
function LotseReflectionBlock(runtime, element, args) {
  "use strict";

  var wrapper = element.jquery ? element[0] : element; /* the runtime's wrapper around our HTML */
  var root = wrapper.querySelector(".lotse-reflection") || wrapper;
  var $ = window.jQuery;
  var strings = args.strings;
  var form = root.querySelector(".lotse-reflection-form");
  var field = form.querySelector("textarea");
  var counter = root.querySelector(".lotse-counter");
  var errorLine = form.querySelector(".lotse-error");
  var status = root.querySelector(".lotse-status");
  var button = form.querySelector("button[type=submit]");

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, name) { return name in values ? values[name] : match; });
  }
  function fail(message) {
    errorLine.textContent = message;
    errorLine.hidden = false;
    field.setAttribute("aria-invalid", "true");
  }
  function count() {
    counter.textContent = format(strings.counter, { length: field.value.length, max: args.maxLength });
  }

  field.addEventListener("input", function () { count(); status.textContent = ""; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = field.value.trim();
    if (!text) { fail(strings.empty); field.focus(); return; }
    if (text.length > args.maxLength) {
      fail(format(strings.tooLong, { max: args.maxLength, length: text.length }));
      field.focus();
      return;
    }
    errorLine.hidden = true;
    field.removeAttribute("aria-invalid");
    button.disabled = true;
    $.ajax({
      type: "POST",
      url: runtime.handlerUrl(element, "save_answer"),
      data: JSON.stringify({ answer: field.value }),
      contentType: "application/json; charset=utf-8",
      dataType: "json"
    }).done(function (saved) {
      button.disabled = false;
      field.value = saved.answer;
      count();
      status.textContent = strings.saved + " " +
        format(strings.savedAt, { time: saved.answered_at.slice(0, 16).replace("T", " ") });
    }).fail(function (xhr) {
      button.disabled = false;
      fail((xhr.responseJSON && xhr.responseJSON.error) || strings.networkError);
    });
  });

  count();
  root.setAttribute("data-lotse-ready", "1");
}
