// A button with data-confirm="…" asks before its form is sent (instead of an inline onclick, which
// the Content-Security-Policy refuses).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});
