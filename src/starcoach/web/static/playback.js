// Feedback page of a spoken answer: choosing a sentence, a pause or a filler plays the
// recording from that moment. Without JavaScript the recording still plays from its controls.
(function () {
  var audio = document.getElementById("playback");
  if (!audio) return;
  function jump(target) {
    var at = parseFloat(target.getAttribute("data-start"));
    if (isNaN(at)) return;
    audio.currentTime = at;
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () {});
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-start]");
    if (target) jump(target);
  });
  // The coloured sentences of the judged answer are spans: make them reachable by keyboard.
  document.querySelectorAll("#highlighted [data-start]").forEach(function (span) {
    span.setAttribute("tabindex", "0");
    span.setAttribute("role", "button");
    span.classList.add("playable");
    span.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); jump(span); }
    });
  });
})();
