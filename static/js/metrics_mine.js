/* My metrics: draw each metric's small chart (weekly actual against the frozen baseline band)
   from the json_script data the server rendered. No inline JS: the CSP forbids it. */
(function () {
  "use strict";
  if (!window.Plotly) {
    console.error("plotly.js did not load: the figures above the charts still apply.");
    return;
  }
  document.querySelectorAll("[data-chart].metric-chart").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var chart = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, chart.data, chart.layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: false,
    });
  });
})();
