// Every form that posts shows it is working and cannot be sent twice (a form that handles this
// itself says so with data-own-busy; one whose submit was taken over, e.g. by the recorder, is
// left alone). Coming back with the Back button shows it ready again.
(function () {
  function reset(form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button.busy").forEach(function (button) {
      button.disabled = false;
      button.classList.remove("busy");
      button.textContent = button.dataset.label;
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.hasAttribute("data-own-busy")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (!button) return;
    // After this turn, so the button's own name and value still go with the form.
    setTimeout(function () {
      button.dataset.label = button.textContent;
      button.textContent = "Working…";
      button.classList.add("busy");
      button.disabled = true;
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[aria-busy]").forEach(reset);
  });
})();

// On a phone the navigation folds behind a Menu button; without JavaScript it simply wraps.
(function () {
  var toggle = document.getElementById("menu-toggle");
  if (!toggle) return;
  var nav = toggle.closest("nav");
  toggle.hidden = false;
  nav.classList.add("foldable");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
})();

// Practice page: a live word count and a timer. Everything else works without JavaScript.
// The timer is not a live region (a screen reader would read it every second): it announces
// only its milestones, through #timer-status where the page has one.
(function () {
  var answer = document.getElementById("answer");
  if (!answer) return;
  var count = document.getElementById("word-count");
  var timer = document.getElementById("timer");
  var toggle = document.getElementById("timer-toggle");
  var taken = document.getElementById("seconds-taken");
  var status = document.getElementById("timer-status");
  var seconds = 0, ticking = null;
  var milestones = { 60: "One minute.", 120: "Two minutes: a good length from here.",
    180: "Three minutes: time to land the result and what you learned." };

  function words() {
    var text = answer.value.trim();
    count.textContent = text ? text.split(/\s+/).length : 0;
  }
  function show() {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    taken.value = seconds;
    timer.className = seconds > 180 ? "over" : seconds >= 120 ? "good" : "";
    if (status && milestones[seconds]) status.textContent = milestones[seconds];
  }
  function start() {
    if (ticking) return;
    ticking = setInterval(function () { seconds += 1; show(); }, 1000);
    toggle.textContent = "Pause timer";
  }
  function stop() {
    clearInterval(ticking); ticking = null;
    toggle.textContent = "Resume timer";
  }
  toggle.addEventListener("click", function () { ticking ? stop() : start(); });
  // Typing starts the timer; a paste, or a transcript put in by the recorder (not trusted), does
  // not: the time taken should measure writing.
  answer.addEventListener("input", function (event) {
    words();
    if (event.isTrusted && event.inputType !== "insertFromPaste") start();
  });
  words();
})();
