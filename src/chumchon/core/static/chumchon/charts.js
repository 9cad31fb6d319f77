/*
 * Charts drawn from the tables that carry their figures (Chart.js, vendored).
 *
 * A page marks a table with data-chart="line"; its header cells after the
 * first name the points (e.g. fiscal years), each body row is one series
 * (its <th> is the name) and each cell gives its figure in data-value (empty:
 * no figure). data-chart-min / data-chart-max fix the axis (0–100 for
 * percents). The table stays on the page: it is the accessible and no-script
 * version of the chart. No inline script or style (the CSP forbids both).
 */
(function () {
  "use strict";

  var Chart = window.Chart;
  if (!Chart) {
    return;
  }

  // Colours that stay apart for readers with colour-blindness (Okabe–Ito).
  var COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];

  function number(text) {
    if (text === null || text === undefined || text === "") {
      return null;
    }
    var value = parseFloat(text);
    return isNaN(value) ? null : value;
  }

  function draw(table) {
    var labels = [];
    table.querySelectorAll("thead th").forEach(function (th, index) {
      if (index > 0) {
        labels.push(th.getAttribute("data-label") || th.textContent.trim());
      }
    });
    var datasets = [];
    table.querySelectorAll("tbody tr").forEach(function (row, index) {
      var name = row.querySelector("th");
      var colour = COLOURS[index % COLOURS.length];
      datasets.push({
        label: name ? name.textContent.trim() : "",
        data: Array.prototype.map.call(row.querySelectorAll("td"), function (cell) {
          return number(cell.getAttribute("data-value"));
        }),
        borderColor: colour,
        backgroundColor: colour,
        spanGaps: true,
      });
    });
    if (!labels.length || !datasets.length) {
      return;
    }
    var figure = document.createElement("figure");
    figure.className = "chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.getAttribute("data-chart-label") || "");
    figure.appendChild(canvas);
    var anchor = table.closest(".table-wrap") || table;
    anchor.parentNode.insertBefore(figure, anchor);
    var scale = {};
    if (table.hasAttribute("data-chart-min")) {
      scale.min = number(table.getAttribute("data-chart-min"));
    }
    if (table.hasAttribute("data-chart-max")) {
      scale.max = number(table.getAttribute("data-chart-max"));
    }
    // One point per series draws no line: bars say the same thing better.
    var type = labels.length > 1 ? table.getAttribute("data-chart") : "bar";
    new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        scales: { y: scale },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      },
    });
  }

  function init() {
    // The page's font (Sarabun), so Thai names on the axes and the legend render as in the text.
    Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
    document.querySelectorAll("table[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
