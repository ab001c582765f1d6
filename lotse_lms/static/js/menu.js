/* Phones: the main menu and the account links collapse behind the "Menü" button.
 * Without JavaScript (no "js" class) they stay open, as on wide screens. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("menu-button");
  var header = document.querySelector(".site-header");
  root.classList.add("js");
  if (!button || !header) { return; }
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
