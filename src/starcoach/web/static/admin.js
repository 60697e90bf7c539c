// Admin pages: a Copy button beside a link shown once. Without JavaScript (or a clipboard) the
// link stays in its read-only field, to select and copy by hand.
(function () {
  var field = document.getElementById("new-link");
  var button = document.getElementById("copy-link");
  var status = document.getElementById("copy-status");
  if (!field || !button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    field.select();
    var done = function () { status.textContent = "Copied. Paste it into your message to them."; };
    var manual = function () { status.textContent = "Select the link and copy it by hand."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, manual);
    } else {
      manual();
    }
  });
})();
