// A job's page (templates/logistics/job_detail.html): the progress bar follows the job without reloading; when the
// job is done or failed the page is loaded again, which shows the download link or why. Without this script the
// page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress"), count = box.querySelector(".job-count");
  var state = box.querySelector("[data-testid=job-status]");
  function poll() {
    fetch(box.dataset.jobStatus, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(poll, 3000); return; }
        if (s.status !== "queued" && s.status !== "running") { window.location.reload(); return; }
        if (bar) { bar.value = s.percent; bar.textContent = s.percent + "%"; }
        if (state) state.textContent = s.status_display;
        if (count && s.total) count.textContent = s.count_display + " · " + s.percent + "%";
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 800);
})();
