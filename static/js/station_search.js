// Suggestions under every <input data-station-lookup> (a station filter at city or province
// scope, where a select would hold thousands of stations): as the person types, the scoped
// lookup answers with up to 20 stations, shown in the box's <datalist>. Choosing one puts
// "name code" in the box; the server reads the code. Without this script the box is a plain text
// field the server matches by code or name. Plain DOM, no library; loaded from base_staff.html.
(function () {
  "use strict";
  function enhance(box, index) {
    var list = document.createElement("datalist");
    list.id = "station-suggestions-" + index;
    box.parentNode.insertBefore(list, box.nextSibling);
    box.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    function ask() {
      var text = box.value.trim();
      if (!text || text === asked) { return; }
      asked = text;
      var url = box.getAttribute("data-station-lookup") + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (box.value.trim() !== text) { return; }  // an older answer: the box moved on
          list.textContent = "";
          data.results.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.value;
            option.label = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () { /* no suggestions: the box still works as a text field */ });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-station-lookup]"), enhance);
})();
