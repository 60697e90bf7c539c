// Partial updates for search forms. A GET form with data-partial="id id ..." fetches the same
// page with its query and swaps in the elements with those ids, so the server's rendering stays
// the only one and the address stays shareable. A status region (role="status") keeps its place
// and takes the fresh text, so a screen reader hears it. With data-live the form follows the
// user's typing (after a pause) and choices; otherwise it updates when sent. Without JavaScript,
// or if the answer is not a page with those ids, the form simply loads the page.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;

  function address(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text) params.append(name, text);
    }
    const query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function swap(id, fresh) {
    const old = document.getElementById(id);
    const found = fresh.getElementById(id);
    if (!old || !found) return false;
    if (old.getAttribute("role") === "status") {
      old.textContent = found.textContent;
      old.hidden = found.hidden;
    } else {
      old.replaceWith(found);
    }
    return true;
  }

  function enhance(form) {
    const ids = form.getAttribute("data-partial").split(/\s+/).filter(Boolean);
    const clear = form.querySelector("[data-clear]");
    let timer = 0;
    let latest = 0;
    form.classList.add("live");

    async function refresh() {
      window.clearTimeout(timer);
      const url = address(form);
      const ticket = ++latest;
      form.setAttribute("aria-busy", "true");
      ids.forEach(function (id) {
        const region = document.getElementById(id);
        if (region) region.setAttribute("aria-busy", "true");
      });
      let fresh = null;
      try {
        const response = await fetch(url, { headers: { Accept: "text/html" } });
        if (response.ok) {
          fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        }
      } catch (error) {
        fresh = null;
      }
      if (ticket !== latest) return; // a newer request is on its way
      if (!fresh || !ids.every(function (id) { return fresh.getElementById(id); })) {
        window.location.assign(url); // let the server show what went wrong
        return;
      }
      ids.forEach(function (id) { swap(id, fresh); });
      form.removeAttribute("aria-busy");
      if (clear) clear.hidden = url === form.getAttribute("action");
      window.history.replaceState(null, "", url);
    }

    if (form.hasAttribute("data-live")) {
      form.addEventListener("input", function (event) {
        window.clearTimeout(timer);
        const wait = event.target.tagName === "SELECT" ? 0 : 250;
        timer = window.setTimeout(refresh, wait);
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
  }

  document.querySelectorAll("form[data-partial]").forEach(enhance);
})();
