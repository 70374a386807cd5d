/* Portfolio pages (dashboard and a pilot's charts): draw every Plotly chart from the data
   the server put in a json_script element. No inline JS anywhere: the CSP forbids it. */
(function () {
  "use strict";
  var config = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
    // On a phone the tool bar would sit on the chart's title; pinch and tap still work.
    displayModeBar: window.matchMedia("(max-width: 640px)").matches ? false : "hover",
  };
  var base = {
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 13, color: "#1d2733" },
    paper_bgcolor: "#fff",
    plot_bgcolor: "#fff",
    hoverlabel: { namelength: -1 },
  };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var chart = JSON.parse(source.textContent);
    var layout = Object.assign({}, base, chart.layout);
    window.Plotly.newPlot(element, chart.data, layout, config);
  }

  if (!window.Plotly) {
    console.error("plotly.js did not load: charts cannot be drawn; the data tables still apply.");
    return;
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
