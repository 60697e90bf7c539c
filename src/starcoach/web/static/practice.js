// Practice page: the answer being typed is saved in this browser as you go (never sent
// anywhere), restored when you come back, and forgotten once it has been submitted and judged.
// Submitting shows that the answer is being analysed and cannot be sent twice.
(function () {
  "use strict";
  var PREFIX = "starcoach.draft.";
  var SUBMITTED = "starcoach.submitted";

  function store(kind) {
    try { return window[kind]; } catch (error) { return null; } // storage may be switched off
  }
  var local = store("localStorage");
  var session = store("sessionStorage");
  function attempt(action) { try { return action(); } catch (error) { return null; } }

  // The feedback page: a draft that was just submitted has been judged, so it can go.
  var judged = document.querySelector("[data-judged-draft]");
  if (judged && local && session) {
    var key = PREFIX + judged.getAttribute("data-judged-draft");
    if (attempt(function () { return session.getItem(SUBMITTED); }) === key) {
      attempt(function () { local.removeItem(key); session.removeItem(SUBMITTED); });
    }
    return;
  }

  var form = document.getElementById("practice-form");
  var answer = document.getElementById("answer");
  if (!form || !answer) return;
  var draftKey = PREFIX + form.getAttribute("data-draft-key");
  var question = form.elements.question || null;
  var notice = document.getElementById("draft-notice");
  var noticeText = document.getElementById("draft-text");
  var discard = document.getElementById("draft-discard");
  var status = document.getElementById("draft-status");
  var button = document.getElementById("submit-answer");
  var taken = document.getElementById("seconds-taken");
  var original = answer.value;
  var originalQuestion = question ? question.value : "";
  var pending = null;

  // Back on the practice page (for example after an error): nothing was judged yet.
  if (session) attempt(function () { session.removeItem(SUBMITTED); });

  function clock(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function save() {
    clearTimeout(pending); pending = null;
    if (!local) return;
    if (!answer.value.trim()) { attempt(function () { local.removeItem(draftKey); }); return; }
    var draft = { answer: answer.value, question: question ? question.value : "", saved: Date.now() };
    var done = attempt(function () { local.setItem(draftKey, JSON.stringify(draft)); return true; });
    if (status) status.textContent = done ? "Draft saved in this browser at " + clock(new Date()) + "." : "";
  }
  function later() { clearTimeout(pending); pending = setTimeout(save, 400); }

  function restore() {
    if (!local) return;
    var draft = attempt(function () { return JSON.parse(local.getItem(draftKey) || "null"); });
    if (!draft || typeof draft.answer !== "string" || !draft.answer.trim()) return;
    if (draft.answer === original) return;
    answer.value = draft.answer;
    if (question && draft.question) question.value = draft.question;
    answer.dispatchEvent(new Event("input")); // the word count follows; the timer does not start
    var when = draft.saved ? " (saved " + clock(new Date(draft.saved)) + ")" : "";
    noticeText.textContent = "Welcome back: the answer you were writing" + when + " is restored below.";
    notice.hidden = false;
    notice.setAttribute("role", "status");
  }
  discard.addEventListener("click", function () {
    attempt(function () { local.removeItem(draftKey); });
    answer.value = original;
    if (question) question.value = originalQuestion;
    answer.dispatchEvent(new Event("input"));
    notice.hidden = true;
    if (status) status.textContent = "Draft discarded.";
    answer.focus();
  });

  // A mostly pasted answer was not timed: its "time taken" would be the seconds before submit.
  var pasted = 0, timedByHand = false;
  answer.addEventListener("paste", function (event) {
    var text = event.clipboardData ? event.clipboardData.getData("text") : "";
    pasted += text.trim() ? text.trim().split(/\s+/).length : 0;
  });
  var toggle = document.getElementById("timer-toggle");
  if (toggle) toggle.addEventListener("click", function () { timedByHand = true; });

  answer.addEventListener("input", function (event) { if (event.isTrusted) later(); });
  if (question) question.addEventListener("input", later);
  window.addEventListener("pagehide", function () { if (pending) save(); });

  function busy(on) {
    button.disabled = on;
    button.classList.toggle("busy", on);
    button.textContent = on ? "Analysing your answer…" : "Get feedback";
    form.setAttribute("aria-busy", String(on));
  }
  // Listening on the document runs after the form's own listeners: when the recorder takes the
  // submit over (it uploads the recording itself), the page does not go busy here.
  document.addEventListener("submit", function (event) {
    if (event.target !== form || event.defaultPrevented) return;
    if (button.disabled) { event.preventDefault(); return; }
    save();
    var words = answer.value.trim().split(/\s+/).length;
    if (taken && !timedByHand && pasted * 2 > words) taken.value = "";
    if (session) attempt(function () { session.setItem(SUBMITTED, draftKey); });
    busy(true);
  });
  // A recorded answer is uploaded by the recorder, which says when it is saved.
  form.addEventListener("starcoach:answer-saved", function () {
    clearTimeout(pending); pending = null;
    if (local) attempt(function () { local.removeItem(draftKey); });
  });
  // Coming back with the Back button shows the page as it was left: ready again, not busy.
  window.addEventListener("pageshow", function (event) { if (event.persisted) busy(false); });

  restore();
})();
