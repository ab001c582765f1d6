/* Person pickers (accounts/picker.py): a text input for e-mail addresses becomes a combobox
 * (WAI-ARIA 1.2 pattern: role=combobox, listbox, aria-activedescendant) that searches by name
 * or e-mail while typing. The original input stays in the form as a hidden field holding the
 * chosen addresses, so the server reads the same value with or without JavaScript. */
(function () {
  "use strict";

  function make(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) { el.textContent = text; }
    return el;
  }

  function label(person) {
    return person.detail ? person.name + " – " + person.detail : person.name;
  }

  function enhance(original) {
    var texts = JSON.parse(original.getAttribute("data-texts") || "{}");
    var multiple = original.getAttribute("data-multiple") === "1";
    var url = original.getAttribute("data-picker");
    var chosen = JSON.parse(original.getAttribute("data-chosen") || "[]");
    var id = original.id;
    // Addresses typed before (e.g. a refused form) that belong to nobody stay as typed.
    var known = chosen.map(function (p) { return p.email; });
    original.value.split(/[,;\s]+/).forEach(function (email) {
      if (email && known.indexOf(email.toLowerCase()) < 0) {
        chosen.push({ email: email, name: email, detail: "" });
      }
    });

    var box = make("div", { "class": "picker" });
    var list = make("ul", { "class": "picker-chosen", "aria-label": texts.chosen || "" });
    var input = make("input", {
      type: "text", id: id, role: "combobox", autocomplete: "off",
      "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id + "-listbox"
    });
    ["aria-describedby", "aria-invalid"].forEach(function (a) {
      if (original.hasAttribute(a)) { input.setAttribute(a, original.getAttribute(a)); }
    });
    var listbox = make("ul", { id: id + "-listbox", role: "listbox", "class": "picker-options", hidden: "" });
    var status = make("p", { "class": "visually-hidden", "aria-live": "polite" });
    original.removeAttribute("id");
    original.type = "hidden";
    original.parentNode.insertBefore(box, original);
    box.appendChild(list);
    box.appendChild(input);
    box.appendChild(listbox);
    box.appendChild(status);

    var options = [], active = -1, timer = null, asked = 0, page = 1, query = "";

    function sync() {
      original.value = chosen.map(function (p) { return p.email; }).join(", ");
      list.textContent = "";
      chosen.forEach(function (person, i) {
        var item = make("li", {}, label(person) + " ");
        var remove = make("button", {
          type: "button", "class": "picker-remove",
          "aria-label": (texts.remove || "%s").replace("%s", person.name)
        }, "×");
        remove.addEventListener("click", function () {
          chosen.splice(i, 1);
          sync();
          status.textContent = (texts.removed || "%s").replace("%s", person.name);
          input.focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
      list.hidden = chosen.length === 0;
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (o, i) { o.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].el.id);
        options[index].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      if (option.more) { ask(query, page + 1); return; }
      var person = option.person;
      if (!multiple) { chosen = []; }
      if (!chosen.some(function (p) { return p.email === person.email; })) { chosen.push(person); }
      sync();
      input.value = "";
      close();
      status.textContent = (texts.added || "%s").replace("%s", person.name);
    }

    function show(results, more, append) {
      if (!append) { listbox.textContent = ""; options = []; }
      else if (options.length && options[options.length - 1].more) {
        listbox.removeChild(options.pop().el);
      }
      results.forEach(function (person) {
        var el = make("li", { role: "option", id: id + "-option-" + options.length, "aria-selected": "false" }, label(person));
        el.appendChild(make("span", { "class": "picker-email" }, " " + person.email));
        options.push({ el: el, person: person });
      });
      if (more) { options.push({ el: make("li", { role: "option", id: id + "-option-" + options.length, "class": "picker-more" }, texts.more || "…"), more: true }); }
      options.forEach(function (option) {
        if (option.el.parentNode) { return; }
        option.el.addEventListener("mousedown", function (e) { e.preventDefault(); choose(option); });
        listbox.appendChild(option.el);
      });
      if (!options.length) { listbox.appendChild(make("li", { "class": "picker-none" }, texts.none || "")); }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length || append ? (texts.count || "%d").replace("%d", options.filter(function (o) { return !o.more; }).length) : (texts.none || "");
    }

    function ask(text, wanted) {
      var seq = ++asked;
      fetch(url + "&q=" + encodeURIComponent(text) + "&page=" + wanted, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          if (seq !== asked) { return; }
          page = wanted;
          show(data.results, data.more, wanted > 1);
          if (wanted > 1) { highlight(options.length - data.results.length - (data.more ? 1 : 0)); }
        })
        .catch(function () { if (seq === asked) { status.textContent = texts.error || ""; } });
    }

    input.addEventListener("input", function () {
      query = input.value.trim();
      clearTimeout(timer);
      if (query.length < 2) { close(); status.textContent = query ? (texts.min || "") : ""; return; }
      timer = setTimeout(function () { ask(query, 1); }, 200);
    });
    input.addEventListener("keydown", function (e) {
      var open = !listbox.hidden && options.length;
      if (e.key === "ArrowDown" && open) { e.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
      else if (e.key === "ArrowUp" && open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && open && active >= 0) { e.preventDefault(); choose(options[active]); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Backspace" && !input.value && chosen.length) { chosen.pop(); sync(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    // An address typed without choosing a name is sent as typed; the server checks it.
    original.form.addEventListener("submit", function () {
      var typed = input.value.trim();
      if (typed.indexOf("@") > 0) {
        if (!multiple) { chosen = []; }
        chosen.push({ email: typed, name: typed, detail: "" });
        sync();
      }
    });
    sync();
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), enhance);
})();
