// The 大字 (large text) mode of the public phone pages, for older eyes (适老化).
// Loaded in <head> without defer, so the remembered choice is applied before the first paint
// (no flash of small text); the header button is wired once the page is parsed. Without
// JavaScript the button stays hidden and the page is at its normal size.
(function () {
  "use strict";

  var KEY = "liaison.largeText";
  var CLASS = "large-text";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (error) {
      return false; // storage refused (private mode): normal size
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "1");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      // Not remembered across pages; the current page still changes.
    }
  }

  function apply(on) {
    root.classList.toggle(CLASS, on);
    var buttons = document.querySelectorAll("[data-text-size]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  apply(remembered());

  function start() {
    var buttons = document.querySelectorAll("[data-text-size]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains(CLASS);
        remember(on);
        apply(on);
      });
    }
    apply(root.classList.contains(CLASS));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
