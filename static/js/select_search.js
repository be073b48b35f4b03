// A search box in front of every <select data-searchable> (the category tree has ~600 entries):
// typing narrows the options to those whose text contains every typed word. Plain DOM, no
// library; loaded from base_staff.html as a file (the CSP allows no inline script).
(function () {
  "use strict";
  function enhance(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.getAttribute("data-searchable") || "输入关键词筛选";
    box.setAttribute("aria-label", box.placeholder);
    if (select.id) { box.setAttribute("aria-controls", select.id); }
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      options.forEach(function (option) {
        var text = option.text.toLowerCase();
        var keep = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !keep;
        option.disabled = !keep && !option.selected;
        if (keep && option.value && first === null) { first = option; }
      });
      // One match left: choose it, so Enter in the box submits what was searched for.
      var shown = options.filter(function (o) { return !o.hidden && o.value; });
      if (shown.length === 1) { select.value = shown[0].value; }
    });
  }
  document.querySelectorAll("select[data-searchable]").forEach(enhance);
})();
