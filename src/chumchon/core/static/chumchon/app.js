/*
 * Chumchon (ชุมชน): the little JavaScript the site needs.
 *
 * Loaded with `defer` after htmx.min.js, so it runs before DOMContentLoaded,
 * i.e. before htmx reads its configuration and processes the page.
 * The Content-Security-Policy allows no inline script or style and no eval.
 */
(function () {
  "use strict";

  var htmx = window.htmx;
  if (!htmx) {
    return;
  }

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
