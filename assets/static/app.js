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
  // The list of sites to notify reloads the rows of queued notifications
  // every few seconds while any is on its way (the page works without it).
  function refreshNotify() {
    var box = document.getElementById("notify");
    if (!box || !box.dataset.refresh || !window.fetch || !window.DOMParser) return;
    window.setTimeout(function () {
      fetch(box.dataset.refresh, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("notify");
          if (!fresh) return;
          fresh.querySelectorAll("tr[data-id]").forEach(function (row) {
            var old = box.querySelector('tr[data-id="' + row.dataset.id + '"]');
            if (old) old.replaceWith(document.importNode(row, true));
          });
          if (fresh.dataset.refresh) {
            refreshNotify();
          } else {
            delete box.dataset.refresh;
          }
        })
        .catch(function () { /* try again on the next page load */ });
    }, 3000);
  }
  refreshNotify();
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('.queue-item:not([hidden]) input[name="id"]').forEach(function (c) { c.checked = all.checked; });
    });
  }
})();
