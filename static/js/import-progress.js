/*
 * Roster import progress: polls the job's JSON status and moves the <progress> bar.
 *
 * The page marks the box with data-import-progress, data-status-url and
 * data-running="true" while a task runs. When the task finishes the page is loaded again,
 * which then shows the preview or the result. No inline script (the CSP allows none);
 * without JavaScript the page refreshes itself instead (a <noscript> meta refresh).
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-progress]");
  if (!box || box.getAttribute("data-running") !== "true" || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-import-progress-text]");
  var status = document.querySelector("[data-import-status]");
  var template = box.getAttribute("data-text-template") || "{done} / {total} ({percent}%)";
  var delay = 1000;
  var number = function (n) {
    try {
      return Number(n).toLocaleString("vi-VN");
    } catch (e) {
      return String(n);
    }
  };

  function render(data) {
    if (data.total > 0) {
      bar.max = data.total;
      bar.value = data.done;
      bar.textContent = data.percent + "%";
      if (text) {
        text.textContent = template
          .replace("{done}", number(data.done))
          .replace("{total}", number(data.total))
          .replace("{percent}", data.percent);
      }
    }
    if (status && data.status_label) {
      status.textContent = data.status_label;
    }
  }

  function schedule() {
    window.setTimeout(poll, delay);
  }

  function poll() {
    window
      .fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (data.running) {
          delay = 1000;
          schedule();
        } else {
          // Finished: show the full bar a moment, then the preview or the result.
          window.setTimeout(function () {
            window.location.assign(data.url || window.location.href);
          }, 400);
        }
      })
      .catch(function () {
        // A weak mobile network: try again, less often.
        delay = Math.min(delay * 2, 15000);
        schedule();
      });
  }

  schedule();
})();
