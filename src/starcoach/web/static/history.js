// The history page in the reader's own time zone. The server writes UTC (and says so), so the
// page is right without JavaScript; this turns each <time data-local>, each dated chart label and
// the practice streak into local dates and days.
(function () {
  "use strict";
  var dateOnly = { day: "numeric", month: "short", year: "numeric" };
  var dateTime = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" };
  var dayMonth = { day: "numeric", month: "short" };

  function localDay(when) {
    // The reader's calendar day as a sortable key, e.g. 2026-12-05.
    var m = String(when.getMonth() + 1).padStart(2, "0");
    var d = String(when.getDate()).padStart(2, "0");
    return when.getFullYear() + "-" + m + "-" + d;
  }

  function convertTimes() {
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      var options = el.dataset.local === "date" ? dateOnly : dateTime;
      el.title = el.textContent;  // the UTC text stays at hand
      el.textContent = when.toLocaleString(undefined, options);
    });
    document.querySelectorAll("text[data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("data-datetime"));
      if (!isNaN(when)) el.textContent = when.toLocaleDateString(undefined, dayMonth);
    });
    document.querySelectorAll("[data-zone-note]").forEach(function (el) {
      el.textContent = "Dates and times are in your local time.";
    });
  }

  function countStreak() {
    // Each pair is the first and last practice of a UTC day: a local day cuts a UTC day in two
    // at most, so these two times tell every local day that had practice.
    var box = document.querySelector("[data-spans]");
    if (!box) return;
    var days = new Set();
    JSON.parse(box.dataset.spans).forEach(function (pair) {
      pair.forEach(function (iso) { days.add(localDay(new Date(iso))); });
    });
    var day = new Date();
    var today = days.has(localDay(day));
    if (!today) day.setDate(day.getDate() - 1);
    var count = 0;
    while (days.has(localDay(day))) {
      count += 1;
      day.setDate(day.getDate() - 1);
    }
    box.querySelector("[data-streak-days]").textContent = String(count);
    box.querySelector("[data-streak-unit]").textContent = count === 1 ? "day" : "days";
    box.querySelector("[data-streak-note]").textContent = today
      ? "You practised today. Come back tomorrow to keep it going."
      : count ? "Practise today to keep it going." : "No streak yet: one answer today starts it.";
    box.querySelector("[data-streak-zone]").textContent = "Counted in your local days.";
  }

  convertTimes();
  countStreak();
})();
