/* WijkWijzer: a small progressive enhancement. Every page works without it. */
(function () {
  "use strict";
  var KEY = "wijkwijzer-focus";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // Explanations and buttons that only make sense with JavaScript.
  each("[data-js-only], [data-print]", function (el) { el.hidden = false; });

  // The filter form updates the results as soon as a box is (un)ticked;
  // after the reload, focus returns to that box so keyboard users keep their place.
  each("form[data-auto-submit]", function (form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") { return; }
      try { window.sessionStorage.setItem(KEY, box.id); } catch (e) { /* private mode */ }
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });
  try {
    var id = window.sessionStorage.getItem(KEY);
    window.sessionStorage.removeItem(KEY);
    var target = id && document.getElementById(id);
    if (target) {
      var details = target.closest("details");
      if (details) { details.open = true; }
      target.focus();
    }
  } catch (e) { /* private mode */ }

  // "Afdrukken" buttons.
  each("[data-print]", function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
