// The library filters as the user types or chooses. It fetches this same page with the form's
// query and swaps in the list and the count, so the server's ranking stays the only one and
// the address stays shareable. Without JavaScript the form still submits with its button.
(function () {
  "use strict";
  const form = document.getElementById("filters");
  const count = document.getElementById("count");
  const clear = document.getElementById("clear-filters");
  if (!form || !count || !window.fetch || !window.DOMParser) return;
  form.classList.add("live");
  let timer = 0;
  let latest = 0;

  function address() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      const text = String(value).trim();
      if (text) params.append(name, text);
    }
    const query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  async function refresh() {
    window.clearTimeout(timer);
    const url = address();
    const ticket = ++latest;
    const list = document.getElementById("guide-list");
    list.setAttribute("aria-busy", "true");
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
    const freshList = fresh && fresh.getElementById("guide-list");
    const freshCount = fresh && fresh.getElementById("count");
    if (!freshList || !freshCount) {
      window.location.assign(url); // let the server show what went wrong
      return;
    }
    list.replaceWith(freshList);
    count.textContent = freshCount.textContent;
    if (clear) clear.hidden = url === form.getAttribute("action");
    window.history.replaceState(null, "", url);
  }

  form.addEventListener("input", function (event) {
    window.clearTimeout(timer);
    const wait = event.target.tagName === "SELECT" ? 0 : 250;
    timer = window.setTimeout(refresh, wait);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
})();
