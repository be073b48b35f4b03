// A live "已输入 N / 5000 字" under every field that carries data-char-limit (the submission
// texts; see SubmissionTextField in liaison/cases/forms_h5.py). The fields have no maxlength, so a
// long paste is kept whole and this counter says how much to cut; the server refuses the same
// limit with the same numbers. Characters are counted as the server counts them: by code point,
// a line break as one.
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.replace(/\r\n/g, "\n").trim()).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-char-limit"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("div");
    counter.className = "char-count";
    counter.id = (field.id || field.name) + "-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var n = length(field.value);
      var values = { n: n, limit: limit, over: n - limit };
      var text = fill(field.getAttribute("data-char-text") || "{n} / {limit}", values);
      if (n > limit) {
        text += "，" + fill(field.getAttribute("data-char-over") || "", values);
      }
      counter.textContent = text;
      counter.classList.toggle("over", n > limit);
    }

    field.addEventListener("input", update);
    update();
  }

  function start() {
    var fields = document.querySelectorAll("[data-char-limit]");
    for (var i = 0; i < fields.length; i += 1) {
      attach(fields[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
