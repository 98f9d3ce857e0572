// esgledger: small progressive enhancements. Every page works without this file; the
// server repeats each check (year-on-year warning, reason required) on submit.
"use strict";

(function () {
  // Year-on-year warning while typing: value × unit factor against last year's value.
  function checkChange(row, form) {
    const input = row.querySelector("td.value input[data-last]");
    const warning = row.querySelector(".yoy-warning");
    if (!input || !warning) return;
    const last = parseFloat(input.dataset.last);
    const option = row.querySelector("select option:checked");
    const factor = option ? parseFloat(option.dataset.factor || "1") : 1;
    const typed = parseFloat(input.value.normalize("NFKC").replace(/[,\s_]/g, "")) * factor;
    const threshold = parseFloat(form.dataset.threshold);
    let text = "";
    if (!isNaN(typed) && !isNaN(last) && input.value.trim() !== "") {
      if (last === 0 && typed !== 0) {
        text = form.dataset.yoy.replace("{change}", "∞");
      } else if (last !== 0) {
        const change = ((typed - last) / Math.abs(last)) * 100;
        if (Math.abs(change) > threshold) {
          const shown = (change > 0 ? "+" : "") + change.toFixed(1) + "%";
          text = form.dataset.yoy.replace("{change}", shown);
        }
      }
    }
    warning.textContent = text;
    warning.hidden = text === "";
    row.classList.toggle("has-warning", text !== "");
  }

  function setUpEntryForm(form) {
    form.querySelectorAll("tr.field").forEach(function (row) {
      const update = function () { checkChange(row, form); };
      row.querySelectorAll("input, select").forEach(function (el) {
        el.addEventListener("input", update);
        el.addEventListener("change", update);
      });
    });
  }

  // Filter long tables by the text of their rows.
  function setUpFilter(input) {
    input.addEventListener("input", function () {
      const needle = input.value.trim().toLowerCase();
      document.querySelectorAll(input.dataset.filter).forEach(function (row) {
        row.hidden = needle !== "" && !row.textContent.toLowerCase().includes(needle);
      });
    });
  }

  // A rejection needs a reason: say so before the round trip.
  function setUpDecision(form) {
    const reason = form.querySelector("textarea[name=reason]");
    const message = form.querySelector("[data-reason-required]");
    form.querySelectorAll("[data-needs-reason]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (reason.value.trim() === "") {
          event.preventDefault();
          message.textContent = message.dataset.reasonRequired;
          message.hidden = false;
          reason.focus();
        }
      });
    });
  }

  // The review's checkboxes: one in the header picks all or none, the heading counts them.
  function setUpPicks(all) {
    const boxes = document.querySelectorAll("input[name=pick]");
    const count = document.querySelector("[data-picked]");
    function recount() {
      const picked = Array.from(boxes).filter(function (box) { return box.checked; }).length;
      if (count) count.textContent = picked;
      all.checked = boxes.length > 0 && picked === boxes.length;
      all.indeterminate = picked > 0 && picked < boxes.length;
    }
    all.hidden = boxes.length === 0;  // without this script the header box could do nothing
    recount();
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      recount();
    });
    boxes.forEach(function (box) { box.addEventListener("change", recount); });
  }

  // The header's menu on a narrow screen: collapsed behind its button. Without this
  // script the menu is simply shown (style.css collapses it only under html.js).
  function setUpMenu(button) {
    const bar = button.closest(".topbar");
    document.documentElement.classList.add("js");
    button.addEventListener("click", function () {
      const open = !bar.classList.contains("open");
      bar.classList.toggle("open", open);
      button.setAttribute("aria-expanded", String(open));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const menu = document.querySelector(".menu-toggle");
    if (menu) setUpMenu(menu);
    const entry = document.getElementById("entry-form");
    if (entry) setUpEntryForm(entry);
    document.querySelectorAll("input[data-filter]").forEach(setUpFilter);
    const decision = document.getElementById("decision-form");
    if (decision) setUpDecision(decision);
    const pickAll = document.querySelector("input[data-pick-all]");
    if (pickAll) setUpPicks(pickAll);
    // "Back" links: a handler here, since the CSP refuses javascript: URLs.
    document.querySelectorAll("a[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        history.back();
      });
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
