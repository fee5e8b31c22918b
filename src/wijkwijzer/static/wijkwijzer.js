/* WijkWijzer: a small progressive enhancement. Every page works without it. */
(function () {
  "use strict";
  var KEUZE = "vergelijk";          // the ticks for comparison, in the listing's URL
  var RESULTATEN = "resultaten";    // the results heading, where a changed listing lands
  var WIDE = "(min-width: 52em)";   // from here on the filters stand next to the results

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  // Explanations and buttons that only make sense with JavaScript, and the fallbacks that
  // are only needed without it.
  each("[data-js-only], [data-print]", function (el) { el.hidden = false; });
  each("[data-no-js]", function (el) { el.hidden = true; });

  // The filters: closed on a phone, open on a wide screen (where the stylesheet already
  // shows them if the browser can).
  if (window.matchMedia) {
    var wide = window.matchMedia(WIDE);
    each(".filterpaneel", function (panel) {
      panel.open = wide.matches;
      if (wide.addEventListener) {
        wide.addEventListener("change", function (e) { panel.open = e.matches; });
      }
    });
  }

  // A ticked box for comparison goes into the URL and into every link of the results that
  // keeps the listing's state (to the listing or to a result), so the ticks survive paging
  // and filtering.
  function withTicks(href, ticks) {
    var url = new URL(href, window.location.href);
    url.searchParams.delete(KEUZE);
    ticks.forEach(function (slug) { url.searchParams.append(KEUZE, slug); });
    return url.pathname + url.search + url.hash;
  }

  function tick(form, box) {
    var bar = form.querySelector(".vergelijkbalk");
    var max = bar ? parseInt(bar.getAttribute("data-max"), 10) : 4;
    var telling = form.querySelector("[data-keuze-telling]");
    var ticks = new URLSearchParams(window.location.search).getAll(KEUZE).filter(function (s) {
      return s !== box.value;
    });
    if (box.checked && ticks.length >= max) {
      box.checked = false;
      if (telling) { telling.textContent = " U kunt tot " + max + " aanpakken tegelijk vergelijken."; }
      return;
    }
    if (box.checked) { ticks.push(box.value); }
    window.history.replaceState(null, "", withTicks(window.location.pathname + window.location.search, ticks));
    each(".resultaten a[href]", function (a) {
      var path = a.getAttribute("href").split(/[?#]/)[0];
      if (path === "/" || path.indexOf("/aanpak/") === 0) {
        a.setAttribute("href", withTicks(a.getAttribute("href"), ticks));
      }
    });
    if (telling) { telling.textContent = ticks.length ? " " + ticks.length + " gekozen." : ""; }
  }

  // The search form updates the results as soon as a filter box is (un)ticked, and lands
  // on the results heading (its action ends in #resultaten).
  each("form[data-auto-submit]", function (form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") { return; }
      if (box.name === KEUZE) { tick(form, box); return; }
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });

  // After a search, a filter or a page: focus on the results heading, which says the count
  // (the browser does this itself for a focusable target; this is for those that do not).
  if (window.location.hash === "#" + RESULTATEN) {
    var heading = document.getElementById(RESULTATEN);
    if (heading && document.activeElement !== heading) { heading.focus(); }
  }

  // "Afdrukken" buttons.
  each("[data-print]", function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
