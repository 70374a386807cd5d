/* Import progress: poll the job's JSON status every second and move the progress bar until
   the import is done or failed. Plain JS, no inline script (CSP). */
(function () {
  "use strict";
  var root = document.getElementById("import");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-status-url");
  var bar = root.querySelector("[data-progress]");

  function text(selector, value) {
    var element = root.querySelector(selector);
    if (element) {
      element.textContent = value;
    }
  }

  function show(status) {
    bar.firstElementChild.style.width = status.percent + "%";
    bar.setAttribute("aria-valuenow", status.percent);
    text("[data-percent]", status.percent + " %");
    text("[data-status]", status.status_label);
    text("[data-rows]", status.rows_done + " of " + status.rows_total + " rows written");
    text("[data-message]", status.message);
    text("[data-created]", status.created);
    text("[data-updated]", status.updated);
    text("[data-unchanged]", status.unchanged);
    root.querySelector("[data-summary]").hidden = status.status !== "done";
    root.querySelector("[data-errors]").hidden = !status.errors_url;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.status === "queued" || status.status === "running") {
          window.setTimeout(poll, 1000);
        } else if (status.error_count && !root.querySelector("[data-error-rows]")) {
          window.location.reload(); // the refused rows are listed by the page itself
        } else if (status.status === "failed") {
          bar.classList.add("failed");
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  poll();
})();
