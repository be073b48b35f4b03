// Disable the submit button after the first tap so a slow network does not invite a second one
// (the hidden client_token already makes a repeat harmless on the server).
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("button[data-once]");
  if (button) {
    setTimeout(function () { button.disabled = true; }, 0);
  }
});
