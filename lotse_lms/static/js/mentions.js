/* @mention autocomplete of the community editor. Typing "@" and two letters of a name asks
 * the space's member endpoint (members only, at most 8) and offers the names in a list;
 * arrow keys and Enter (or a click) insert "@Vorname Nachname". Without JavaScript people
 * type the name themselves: the server recognises it the same way. */
(function () {
  "use strict";
  // "@" at the start or after a space, then up to three words being typed (any script).
  var TYPED = /(^|[\s(])@([^\s@]{2,}(?: [^\s@]*){0,2})$/u;

  function setUp(field) {
    var url = field.getAttribute("data-mentions");
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = field.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", field.getAttribute("data-mentions-label") || "");
    list.hidden = true;
    field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", list.id);
    var active = -1, match = null, asked = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      field.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var end = field.selectionStart;
      var start = end - match.length;
      var text = "@" + name + " ";
      field.value = field.value.slice(0, start) + text + field.value.slice(end);
      field.focus();
      field.setSelectionRange(start + text.length, start + text.length);
      close();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      field.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(people) {
      list.innerHTML = "";
      people.forEach(function (person, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.textContent = person.name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(person.name);
        });
        list.appendChild(item);
      });
      list.hidden = !people.length;
      if (people.length) { highlight(0); }
    }

    field.addEventListener("input", function () {
      var found = TYPED.exec(field.value.slice(0, field.selectionStart));
      if (!found) { close(); return; }
      match = "@" + found[2];
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(found[2]), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) { if (ticket === asked) { show(data.people || []); } })
        .catch(close);
    });
    field.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" || event.key === "Tab") {
        var item = list.querySelectorAll("li")[active];
        if (item) { event.preventDefault(); choose(item.textContent); }
      } else if (event.key === "Escape") { close(); }
    });
    // Closed a moment after the field loses focus (a click on a name lands first), unless
    // the focus is back by then: a toolbar button takes it only while it is pressed.
    field.addEventListener("blur", function () {
      window.setTimeout(function () { if (document.activeElement !== field) { close(); } }, 150);
    });
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(setUp);
})();
