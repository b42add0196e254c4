// Crosstalk's moderation queue with the keyboard: j/k move, a/s/d/p act on
// the current item, x selects it, u undoes the last action, ? shows help.
// Actions go through fetch, so the counts change without a reload; the
// buttons of the page work without any of this.
(function () {
  "use strict";
  var form = document.getElementById("queue-form");
  if (!form) return;
  var list = form.querySelector("ol.queue");
  var pageStatus = form.elements["return"].value;
  var msg = document.getElementById("queue-msg");
  var undoButton = document.getElementById("queue-undo");
  var help = document.getElementById("shortcut-help");
  var KEYS = { a: "approved", s: "spam", d: "trash", p: "pending" };
  var DONE = { approved: "Approved", spam: "Marked as spam", trash: "Moved to the trash", pending: "Back to pending" };
  var current = null, last = null, busy = false;

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".queue-item:not([hidden])")); }

  function setCurrent(item, focus) {
    if (current) current.classList.remove("current");
    current = item || null;
    if (!current) return;
    current.classList.add("current");
    if (focus) {
      current.focus({ preventScroll: true });
      current.scrollIntoView({ block: "nearest" });
    }
  }
  function move(step) {
    var all = items();
    if (!all.length) return;
    var i = all.indexOf(current);
    i = i < 0 ? 0 : Math.min(all.length - 1, Math.max(0, i + step));
    setCurrent(all[i], true);
  }

  function say(text, canUndo) {
    msg.textContent = text;
    undoButton.hidden = !canUndo;
  }

  function send(action, ids) {
    var fd = new FormData();
    ["csrf_token", "kind", "post"].forEach(function (n) { fd.append(n, form.elements[n].value); });
    fd.append("action", action);
    ids.forEach(function (id) { fd.append("id", id); });
    return fetch(form.getAttribute("action"), { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) {
            var err = new Error(data.error || "The server answered " + res.status + ".");
            err.login = data.login;
            throw err;
          }
          return data;
        });
      });
  }

  function showCounts(data) {
    var counts = data.counts || {};
    document.querySelectorAll(".tabs .count[data-status]").forEach(function (span) {
      span.textContent = counts[span.dataset.status] || 0;
    });
    var badge = document.getElementById("pending-count");
    if (badge && typeof data.pending === "number") {
      badge.querySelector(".n").textContent = data.pending;
      badge.hidden = data.pending === 0;
    }
  }

  function failed(err) {
    say(err.message, false);
    if (err.login) {
      var a = document.createElement("a");
      a.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      a.textContent = "Log in again";
      msg.append(" ", a);
    }
  }

  // act moves the items to status; they leave this tab but stay in the page,
  // hidden, so undo can put them back where they were.
  function act(status, targets) {
    targets = targets.filter(Boolean);
    if (busy) return;
    if (!targets.length) {
      say("Choose an item first: j and k move, x selects.", false);
      return;
    }
    if (status === pageStatus) {
      say("Already " + status + ".", false);
      return;
    }
    busy = true;
    var ids = targets.map(function (t) { return t.dataset.id; });
    send(status, ids).then(function (data) {
      var after = nextAfter(targets);
      targets.forEach(function (t) {
        t.hidden = true;
        t.classList.remove("current");
        var box = t.querySelector('input[name="id"]');
        if (box) box.checked = false;
      });
      showCounts(data);
      last = { status: status, targets: targets };
      say(DONE[status] + ": " + describe(targets) + ". Press u to undo.", true);
      document.getElementById("queue-empty").hidden = items().length > 0;
      setCurrent(after, true);
    }, failed).then(function () { busy = false; });
  }

  function nextAfter(targets) {
    var all = items();
    var rest = all.filter(function (t) { return targets.indexOf(t) < 0; });
    var i = all.indexOf(targets[targets.length - 1]);
    for (var j = i + 1; j < all.length; j++) if (rest.indexOf(all[j]) >= 0) return all[j];
    for (j = i - 1; j >= 0; j--) if (rest.indexOf(all[j]) >= 0) return all[j];
    return null;
  }

  function describe(targets) {
    if (targets.length > 1) return targets.length + " items";
    var t = targets[0].querySelector(".q-title, .q-author");
    return t ? "“" + t.textContent.trim() + "”" : "1 item";
  }

  function undo() {
    if (busy) return;
    if (!last) {
      say("Nothing to undo.", false);
      return;
    }
    busy = true;
    var done = last;
    send(pageStatus, done.targets.map(function (t) { return t.dataset.id; })).then(function (data) {
      done.targets.forEach(function (t) { t.hidden = false; });
      document.getElementById("queue-empty").hidden = true;
      showCounts(data);
      last = null;
      say("Undone: " + describe(done.targets) + " is " + pageStatus + " again.", false);
      setCurrent(done.targets[0], true);
    }, failed).then(function () { busy = false; });
  }

  function selected() {
    return items().filter(function (t) {
      var box = t.querySelector('input[name="id"]');
      return box && box.checked;
    });
  }

  // The page's own buttons go through act too, so they can be undone.
  // "Delete forever" stays a plain form post: it cannot be undone.
  form.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (!b) return;
    if (b.name === "one") {
      e.preventDefault();
      var item = b.closest(".queue-item");
      setCurrent(item, false);
      act(b.value.split(":")[0], [item]);
    } else if (b.name === "action" && b.value !== "delete") {
      e.preventDefault();
      act(b.value, selected());
    }
  });
  undoButton.addEventListener("click", undo);
  list.addEventListener("click", function (e) {
    var item = e.target.closest(".queue-item");
    if (item && item !== current) setCurrent(item, false);
  });

  function typing(t) {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
    return t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(t.type);
  }

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (help.open && e.key !== "?") return;
    if (e.key === "?") {
      if (help.open) help.close();
      else help.showModal();
    } else if (e.key === "j") {
      move(1);
    } else if (e.key === "k") {
      move(-1);
    } else if (KEYS[e.key]) {
      act(KEYS[e.key], selected().length ? selected() : [current]);
    } else if (e.key === "x" && current) {
      var box = current.querySelector('input[name="id"]');
      if (box) box.checked = !box.checked;
    } else if (e.key === "u") {
      undo();
    } else {
      return;
    }
    e.preventDefault();
  });

  document.getElementById("kbd-hint").hidden = false;
  setCurrent(items()[0], false);
})();
