// Record a spoken answer (practice and mock pages): the microphone's level, a timer against
// the budget, then upload to be transcribed on this machine. The transcript fills the answer
// box to be read and corrected; submitting sends it with the recording, so both are kept.
(function () {
  var box = document.getElementById("recorder");
  var button = document.getElementById("record");
  if (!box || !button) return;
  var form = box.closest("form");
  var answer = document.getElementById("answer");
  var taken = document.getElementById("seconds-taken");
  var timer = document.getElementById("rec-timer");
  var meter = document.getElementById("level");
  var status = document.getElementById("rec-status");
  var progress = document.getElementById("rec-progress");
  var discard = document.getElementById("discard");
  var budget = parseInt(box.getAttribute("data-budget"), 10) || 180;
  var recorder = null, stream = null, audioContext = null, chunks = [];
  var started = 0, ticking = null, drawing = null;
  var recording = null; // {blob, spoken, seconds} once transcribed

  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    button.disabled = true;
    say("This browser cannot record audio here; type your answer instead.");
    return;
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = "rec-status" + (isError ? " error" : "");
    status.setAttribute("role", isError ? "alert" : "status");
  }
  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = Math.floor(seconds % 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var seconds = (Date.now() - started) / 1000;
    timer.textContent = clock(seconds);
    timer.className = seconds > budget ? "over" : seconds >= budget * 2 / 3 ? "good" : "";
  }
  function showLevel(analyser) {
    var samples = new Uint8Array(analyser.fftSize);
    function draw() {
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) {
        var v = (samples[i] - 128) / 128;
        sum += v * v;
      }
      var level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      meter.value = level;
      meter.textContent = level < 0.05 ? "silent" : "sound";
      drawing = requestAnimationFrame(draw);
    }
    draw();
  }
  function chosenType() {
    var types = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported(types[i])) return types[i];
    }
    return "";
  }
  function start() {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (got) {
      stream = got;
      forget();
      var type = chosenType();
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      chunks = [];
      recorder.addEventListener("dataavailable", function (e) { if (e.data.size) chunks.push(e.data); });
      recorder.addEventListener("stop", finished);
      var AudioContextClass = window.AudioContext || window.webkitAudioContext;
      if (AudioContextClass) {
        audioContext = new AudioContextClass();
        var analyser = audioContext.createAnalyser();
        analyser.fftSize = 1024;
        audioContext.createMediaStreamSource(stream).connect(analyser);
        showLevel(analyser);
      }
      recorder.start(1000);
      started = Date.now();
      ticking = setInterval(tick, 250);
      tick();
      button.textContent = "Stop recording";
      button.setAttribute("aria-pressed", "true");
      say("Recording. Speak your answer, then stop.");
    }).catch(function (error) {
      say("The microphone could not be used (" + error.name + "). Allow it for this page, or type your answer.", true);
    });
  }
  function stop() {
    clearInterval(ticking);
    cancelAnimationFrame(drawing);
    meter.value = 0;
    recorder.stop();
    stream.getTracks().forEach(function (t) { t.stop(); });
    if (audioContext) audioContext.close();
    button.textContent = "Record again";
    button.setAttribute("aria-pressed", "false");
  }
  function finished() {
    var seconds = Math.round((Date.now() - started) / 1000);
    var blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
    recorder = null;
    if (!blob.size) { say("Nothing was recorded: check the microphone and try again.", true); return; }
    var data = new FormData();
    data.append("audio", blob, "answer" + suffix(blob.type));
    data.append("budget", String(budget));
    send(box.getAttribute("data-transcribe"), data, function (spoken) {
      recording = { blob: blob, spoken: spoken, seconds: seconds };
      answer.value = spoken.transcript.text;
      answer.dispatchEvent(new Event("input"));
      if (taken) taken.value = seconds;
      discard.hidden = false;
      say("Transcribed. Read it, fix any word that was misheard, then get feedback.");
      answer.focus();
    });
  }
  function suffix(type) {
    if (type.indexOf("ogg") >= 0) return ".ogg";
    if (type.indexOf("mp4") >= 0) return ".m4a";
    return ".webm";
  }
  function send(url, data, done) {
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-Requested-With", "starcoach");
    request.responseType = "json";
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        progress.value = Math.round(e.loaded / e.total * 100);
        say("Uploading " + progress.value + "%");
      }
    });
    request.upload.addEventListener("load", function () {
      progress.removeAttribute("value");
      say("Transcribing on this machine…");
    });
    request.addEventListener("load", function () {
      progress.hidden = true;
      button.disabled = false;
      var body = request.response || {};
      if (request.status >= 200 && request.status < 300) done(body);
      else say(body.error || ("The upload failed (" + request.status + ")."), true);
    });
    request.addEventListener("error", function () {
      progress.hidden = true;
      button.disabled = false;
      say("The upload failed: is starcoach still running?", true);
    });
    request.send(data);
  }
  function forget() {
    recording = null;
    discard.hidden = true;
  }

  button.addEventListener("click", function () { recorder ? stop() : start(); });
  discard.addEventListener("click", function () {
    forget();
    say("Recording discarded. Type your answer, or record again.");
  });
  // With a recording, the answer (as edited) goes with it, so the recording is kept too.
  form.addEventListener("submit", function (event) {
    if (!recording || !answer.value.trim()) return;
    event.preventDefault();
    var data = new FormData();
    data.append("audio", recording.blob, "answer" + suffix(recording.blob.type));
    data.append("answer", answer.value);
    data.append("spoken", JSON.stringify(recording.spoken));
    data.append("seconds", String(recording.seconds));
    ["guide_id", "question", "previous_id"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) data.append(name, field.value);
    });
    send(box.getAttribute("data-upload"), data, function (body) {
      say("Saved.");
      // The typed draft went with the recording: the practice page's autosave can forget it.
      form.dispatchEvent(new CustomEvent("starcoach:answer-saved"));
      if (body.prompt !== undefined) window.location.reload();
      else window.location.href = "/attempts/" + body.id;
    });
  });
})();
