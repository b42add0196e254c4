// Crosstalk's small progressive enhancements. Every form works without it.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button.copy");
    if (!btn) return;
    var input = document.querySelector(btn.dataset.copy);
    if (!input) return;
    input.select();
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(function () {});
    btn.textContent = "Copied";
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.classList.contains("confirm") && !window.confirm(form.dataset.confirm || "Are you sure?")) {
      e.preventDefault();
    }
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('.queue-item:not([hidden]) input[name="id"]').forEach(function (c) { c.checked = all.checked; });
    });
  }
})();
