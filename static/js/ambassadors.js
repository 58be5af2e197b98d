// The referral dashboard: select the link on click and copy it with the "Copy" button
// (shown only where the clipboard API exists). A static file, so the Content-Security-Policy
// needs no 'unsafe-inline'.
document.querySelectorAll("input[data-select-on-click]").forEach(function (input) {
  input.addEventListener("click", function () { input.select(); });
});
document.querySelectorAll(".copy-button").forEach(function (button) {
  button.hidden = !navigator.clipboard;
  button.addEventListener("click", function () {
    var input = document.querySelector(button.dataset.copy);
    navigator.clipboard.writeText(input.value).then(function () { button.textContent = "✓"; });
  });
});
