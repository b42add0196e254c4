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
  // Click-to-load embeds (models/markup/embed.go): nothing is fetched from
  // the video or Mastodon site until the reader asks. The editor's preview
  // shows the placeholder only (its page allows no frames).
  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (fig) {
    if (fig.closest(".preview")) return;
    var btn = fig.querySelector("button.embed-load");
    if (btn) btn.hidden = false;
  });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button.embed-load");
    var fig = btn && btn.closest("figure.embed[data-embed-src]");
    if (!fig || fig.closest(".preview")) return;
    var frame = document.createElement("iframe");
    frame.src = fig.dataset.embedSrc;
    frame.title = fig.dataset.embedTitle || "Embedded content";
    frame.allow = "fullscreen; picture-in-picture; encrypted-media";
    frame.setAttribute("allowfullscreen", "");
    frame.className = "embed-frame";
    fig.querySelectorAll(".embed-note, button.embed-load").forEach(function (n) { (n.closest("p") || n).remove(); });
    fig.prepend(frame);
    frame.focus();
  });
  // A code block wider than the column scrolls; the keyboard can reach it.
  document.querySelectorAll(".e-content pre").forEach(function (pre) {
    if (pre.scrollWidth > pre.clientWidth) {
      pre.tabIndex = 0;
      pre.setAttribute("role", "region");
      pre.setAttribute("aria-label", "Code (scrolls sideways)");
    }
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('.queue-item:not([hidden]) input[name="id"]').forEach(function (c) { c.checked = all.checked; });
    });
  }
})();
