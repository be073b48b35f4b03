// Intake form: while staff type, ask the server for open cases that look like the same matter,
// so a duplicate is noticed before it is saved (merging is then one click on the case page).
// Debounced, and an answer that arrives after a newer question is dropped; while the server
// is still preparing the county's index, asked again every few seconds.
(function () {
  "use strict";
  var panel = document.getElementById("intake-similar");
  if (!panel || !window.fetch) { return; }
  var form = document.getElementById(panel.getAttribute("data-form"));
  var body = panel.querySelector("[data-similar-body]");
  var url = panel.getAttribute("data-url");
  var fields = ["station", "title", "content", "place"];
  var timer = null;
  var last = "";
  var asked = 0;

  function ask() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var field = form.elements.namedItem(name);
      params.set(name, field && "value" in field ? field.value : "");
    });
    var query = params.toString();
    if (query === last) { return; }
    last = query;
    var mine = ++asked;
    fetch(url + "?" + query, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // The fragment is rendered (and escaped) by the server's own template.
        if (html === null || mine !== asked) { return; }
        body.innerHTML = html;
        // The county's index is still being built on the server: ask again shortly.
        if (body.querySelector("[data-similar-retry]")) {
          last = "";
          clearTimeout(timer);
          timer = setTimeout(ask, 3000);
        }
      })
      .catch(function () { /* offline or refused: keep what is shown */ });
  }

  function later(event) {
    if (fields.indexOf(event.target.name) === -1) { return; }
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  ask();
})();
