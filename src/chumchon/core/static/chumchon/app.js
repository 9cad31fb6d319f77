/*
 * Chumchon (ชุมชน): the little JavaScript the site needs.
 *
 * Loaded with `defer` after htmx.min.js, so it runs before DOMContentLoaded,
 * i.e. before htmx reads its configuration and processes the page.
 * The Content-Security-Policy allows no inline script or style and no eval.
 */
(function () {
  "use strict";

  // A key figure (.stat) stays on one line: one wider than its card is set
  // smaller until it fits, instead of breaking mid-number ("1,332,821." over
  // "62"). Style set through the CSSOM, which the CSP allows.
  var SMALLEST_FIGURE_PX = 16;
  function fitFigures() {
    var figures = document.querySelectorAll(".stat > strong, .stat > .stat-value");
    Array.prototype.forEach.call(figures, function (figure) {
      figure.style.fontSize = "";
      figure.classList.add("fit");
      var size = parseFloat(window.getComputedStyle(figure).fontSize);
      while (figure.scrollWidth > figure.clientWidth && size > SMALLEST_FIGURE_PX) {
        size -= 1;
        figure.style.fontSize = size + "px";
      }
    });
  }
  // A table wider than the screen scrolls inside its .table-wrap: such a box
  // can be reached with the keyboard (and scrolled with the arrow keys) and is
  // announced by the table's caption or the heading before it.
  function scrollableTables() {
    var boxes = document.querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        var heading = box.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) {
          heading = heading.previousElementSibling;
        }
        var name = (caption || heading || document.querySelector("h1") || {}).textContent || "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name.trim() || document.title);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  function arrange() {
    fitFigures();
    scrollableTables();
  }
  var resizing = null;
  document.addEventListener("DOMContentLoaded", arrange);
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(arrange, 150);
  });
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(fitFigures);
  }

  var htmx = window.htmx;
  if (!htmx) {
    return;
  }
  // Content htmx brings in later (the dashboard's councils block) is arranged as the page was.
  document.addEventListener("htmx:afterSettle", arrange);

  // htmx would otherwise inject an inline <style> for .htmx-indicator, which
  // the CSP blocks: app.css carries those rules instead.
  htmx.config.includeIndicatorStyles = false;
  // hx-on / event filters need eval, which the CSP forbids: fail quietly.
  htmx.config.allowEval = false;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Send Django's CSRF token with every htmx request (htmx 2 only sends
  // requests to this origin by default: htmx.config.selfRequestsOnly).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
})();
