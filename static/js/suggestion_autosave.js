// Autosave of a suggestion draft: a form with data-autosave posts its fields there a few seconds
// after the last keystroke, and keeps the version the server returns, so that the final save
// and the next autosave are checked against it. No inline script (strict CSP).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave");
  var status = form.querySelector(".autosave-status");
  var version = form.querySelector("input[name='version']");
  var timer = null;
  var DELAY = 3000;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    timer = null;
    var body = new FormData(form);
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.ok) {
          if (version) { version.value = data.version; }
          say("已自动保存 " + data.saved);
        } else {
          say(data.error || "自动保存失败");
        }
      })
      .catch(function () { say("网络中断，稍后会再次尝试保存"); });
  }

  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    say("正在编辑…");
    timer = setTimeout(save, DELAY);
  });
})();
