// Mock start: touching a way's choices selects that way, the picked count shows as you pick, and
// the list can be filtered. Without JavaScript the form still works: the server refuses a choice
// made under a way that is not selected, keeping everything picked.
(function () {
  var form = document.getElementById("mock-start");
  if (!form) return;
  var ways = form.querySelectorAll(".way");
  var length = document.getElementById("length-field");
  var picked = document.getElementById("picked");
  var filter = document.getElementById("guide-filter");

  function selected() {
    var radio = form.querySelector('input[name="kind"]:checked');
    return radio ? radio.value : "track";
  }
  function refresh() {
    var kind = selected();
    ways.forEach(function (way) { way.classList.toggle("active", way.dataset.kind === kind); });
    length.querySelector("select").disabled = kind === "custom";
    var count = form.querySelectorAll('input[name="guides"]:checked').length;
    picked.textContent = count ? "(" + count + " picked)" : "";
  }
  ways.forEach(function (way) {
    way.addEventListener("change", function (event) {
      if (event.target.name === "kind") return refresh();
      way.querySelector('input[name="kind"]').checked = true;
      refresh();
    });
  });
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    form.querySelectorAll("#pick-list .option").forEach(function (option) {
      var text = option.dataset.text;
      option.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  });
  // Only the selected way's choices are sent: picks left in another way never mix in.
  form.addEventListener("submit", function () {
    var kind = selected();
    ways.forEach(function (way) {
      if (way.dataset.kind === kind) return;
      way.querySelectorAll("input, select").forEach(function (field) {
        if (field.name !== "kind") field.disabled = true;
      });
    });
  });
  refresh();
})();
