// esgledger jobs: refresh a job's progress while it runs, without holding the page. It asks
// the job's JSON (/api/v1/jobs/ID) every second or so and reloads the page once the job
// ends (to show its files or its error). The list reloads while any job is unfinished.
// Without this file the pages still work: each has a refresh link.
"use strict";

(function () {
  const PAUSE_MS = 1500;

  function followJob(card) {
    const id = card.dataset.jobId;
    const bar = card.querySelector("[data-job-progress]");
    const step = card.querySelector("[data-job-step]");
    async function poll() {
      try {
        const answer = await fetch("/api/v1/jobs/" + encodeURIComponent(id), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (answer.ok) {
          const job = await answer.json();
          if (bar) bar.value = job.percent;
          if (step) {
            step.textContent = step.dataset.template
              .replace("{step}", job.step).replace("{steps}", job.steps);
          }
          if (["done", "failed", "cancelled"].includes(job.status)) {
            window.location.reload();
            return;
          }
        }
      } catch (e) {
        // the server is restarting: try again after the pause
      }
      window.setTimeout(poll, PAUSE_MS);
    }
    window.setTimeout(poll, PAUSE_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const card = document.querySelector("[data-job-id]");
    if (card && card.dataset.finished === "no") followJob(card);
    const list = document.querySelector("[data-jobs-list]");
    if (list && list.dataset.unfinished !== "0") {
      window.setTimeout(function () { window.location.reload(); }, PAUSE_MS * 2);
    }
  });
})();
