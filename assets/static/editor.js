// Crosstalk's post editor, on top of a form that works without it: live
// preview from the server's own renderer, word count, autosave of drafts,
// Ctrl/Cmd+S, a warning before unsaved text is lost, a copy of the text in
// this browser, and the live list of sites the post will notify. Images are
// in media.js; it edits the text like a writer does, with input events.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var el = form.elements;
  var body = el.body;
  var preview = document.getElementById("preview");
  var statusLine = document.getElementById("save-status");
  var write = document.getElementById("write");
  var AUTOSAVE_MS = 3000, PREVIEW_MS = 300, COPY_MS = 800;
  // Fields whose text the browser keeps a copy of.
  var TEXT_FIELDS = ["title", "slug", "body", "excerpt", "tags", "ping_urls"];

  var postID = parseInt(form.dataset.postId, 10) || 0;
  var autosaveOn = form.dataset.autosave === "on";
  // serverCopy is what the server has; null when the page came back unsaved.
  var serverCopy = form.dataset.unsaved === "1" ? null : snapshot();
  var submitting = false, sessionLost = false, tokenRetried = false;
  var inflight = null, saveAgain = false;
  var autosaveTimer = 0, previewTimer = 0, copyTimer = 0, previewSeq = 0;

  function snapshot() {
    var parts = [];
    new FormData(form).forEach(function (v, k) {
      if (k !== "csrf_token" && k !== "id" && typeof v === "string") parts.push(k + "=" + v);
    });
    return parts.join("\u0000");
  }
  function isDirty() { return snapshot() !== serverCopy; }
  function csrf() { return el.csrf_token.value; }

  // setStatus shows a short message beside Save; link adds "log in" for an expired session.
  function setStatus(text, isError, link) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Log in again (new tab)";
      statusLine.append(" ", a);
    }
  }
  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    if (isNaN(d)) d = new Date();
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  // The copy in this browser, keyed by post, survives a crash, a closed tab
  // or a session that ended: the next visit offers it back.
  function copyKey(id) { return "crosstalk:unsaved:" + (id || "new"); }
  function textFields() {
    var out = {};
    TEXT_FIELDS.forEach(function (n) { if (el[n]) out[n] = el[n].value; });
    return out;
  }
  // submitted marks the copy kept as the form is sent: the saved page that
  // comes back (?saved=1) drops it instead of offering it back.
  function keepCopy(submitted) {
    clearTimeout(copyTimer);
    copyTimer = 0;
    try {
      if (isDirty()) localStorage.setItem(copyKey(postID), JSON.stringify({ at: Date.now(), fields: textFields(), submitted: submitted === true }));
    } catch (e) { /* storage full or off: the server copy still counts */ }
  }
  function dropCopy(id) {
    try { localStorage.removeItem(copyKey(id)); } catch (e) { /* nothing kept */ }
  }
  function readCopy() {
    try { return JSON.parse(localStorage.getItem(copyKey(postID)) || "null"); } catch (e) { return null; }
  }
  function offerCopy() {
    if (justSaved()) return;
    var kept = readCopy();
    if (!kept || !kept.fields) return;
    var now = textFields();
    var differs = Object.keys(kept.fields).some(function (n) { return el[n] && kept.fields[n] !== now[n]; });
    if (!differs) {
      if (serverCopy !== null) dropCopy(postID); // the server has it all
      return;
    }
    var offer = document.getElementById("restore-offer");
    document.getElementById("restore-when").textContent = new Date(kept.at).toLocaleString();
    offer.hidden = false;
    document.getElementById("restore-yes").addEventListener("click", function () {
      Object.keys(kept.fields).forEach(function (n) { if (el[n]) el[n].value = kept.fields[n]; });
      offer.hidden = true;
      edited(true);
      body.focus();
    });
    document.getElementById("restore-no").addEventListener("click", function () {
      dropCopy(postID);
      offer.hidden = true;
    });
  }

  // A new post becomes the draft autosave created: the form, the address and
  // the kept copy follow it, so Save updates that draft instead of adding one.
  function adopt(id) {
    if (!id || postID) return;
    var kept = readCopy();
    dropCopy(0);
    postID = id;
    form.setAttribute("action", "/admin/posts/" + id); // not form.action: the Save buttons are named "action"
    el.id.value = id;
    form.dataset.postId = id;
    history.replaceState(history.state, "", "/admin/posts/" + id + "/edit");
    if (kept) keepCopy();
  }

  // justSaved: this page is the answer to a save that went through, so the
  // copy kept when the form was sent is the server's now (the server may
  // have tidied it: a slug made from the title, trimmed tags).
  function justSaved() {
    var params = new URLSearchParams(location.search);
    if (params.get("saved") !== "1") return false;
    [postID, 0].forEach(function (id) {
      var kept = null;
      try { kept = JSON.parse(localStorage.getItem(copyKey(id)) || "null"); } catch (e) { /* none */ }
      if (kept && kept.submitted) dropCopy(id);
    });
    params.delete("saved");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    return true;
  }

  function autosaveURL() { return postID ? "/admin/posts/" + postID + "/autosave" : "/admin/posts/autosave"; }

  function scheduleAutosave() {
    if (autosaveOn && !autosaveTimer) autosaveTimer = setTimeout(autosave, AUTOSAVE_MS);
  }

  function autosave() {
    clearTimeout(autosaveTimer);
    autosaveTimer = 0;
    if (!autosaveOn || submitting || !isDirty()) return inflight || Promise.resolve();
    if (!el.title.value.trim()) {
      setStatus("Not autosaved yet: give it a title.");
      return Promise.resolve();
    }
    if (inflight) { // one at a time, in order
      saveAgain = true;
      return inflight;
    }
    var sent = snapshot();
    inflight = fetch(autosaveURL(), { method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) { autosaved(res, data, sent); });
      }, function () {
        saveAgain = true;
        setStatus("Not saved: the connection failed. Your text is kept in this browser; autosave will try again.", true);
      })
      .then(function () {
        inflight = null;
        if (saveAgain) {
          saveAgain = false;
          scheduleAutosave();
        }
      });
    return inflight;
  }

  function autosaved(res, data, sent) {
    if (res.ok && data.skipped) {
      autosaveOn = false;
      setStatus(data.message || "Autosave is off here: press Save.");
      return;
    }
    if (res.ok) {
      sessionLost = tokenRetried = false;
      adopt(data.id);
      serverCopy = sent;
      setStatus("Saved at " + hhmm(data.saved_at_iso));
      if (!isDirty()) dropCopy(postID);
      return;
    }
    if (res.status === 401) {
      sessionLost = true;
      keepCopy();
      // The login opens in a new tab, so this page and its text stay as they are.
      setStatus("Your session has expired, so this was not saved. Your text stays here and in this browser.", true, "/login?next=%2Fadmin");
      return;
    }
    if (res.status === 403 && !tokenRetried) { // logged in again elsewhere: the form token changed
      tokenRetried = true;
      return freshToken().then(function (ok) {
        if (ok) saveAgain = true;
        else setStatus(data.error || "Not saved: reload the page (your text is kept in this browser).", true);
      });
    }
    setStatus(data.error || "Not saved: the server answered " + res.status + ".", true);
  }

  // freshToken reads the current form token after a login in another tab.
  function freshToken() {
    return fetch("/admin/posts/new", { credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : ""; })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var input = doc.querySelector('input[name="csrf_token"]');
        if (!input || input.value === csrf()) return false;
        el.csrf_token.value = input.value;
        return true;
      }, function () { return false; });
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, PREVIEW_MS);
  }
  function refreshPreview() {
    var seq = ++previewSeq;
    var fd = new FormData();
    fd.append("csrf_token", csrf());
    fd.append("body", body.value);
    fetch("/admin/preview", { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        if (html === null || seq !== previewSeq) return;
        preview.innerHTML = html; // sanitised by the server's renderer, as on the published page
        listNotified();
      }, function () { /* the preview keeps its last text */ });
  }

  function countWords() {
    var text = body.value.replace(/\]\([^)]*\)/g, "]").replace(/<[^>]*>/g, " ");
    var n = (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu) || []).length;
    document.getElementById("word-count").textContent = n === 1 ? "1 word" : n + " words";
  }

  // listNotified lists the absolute links of the preview (and any TrackBack
  // URLs typed in), the sites that publishing will notify.
  function listNotified() {
    var list = document.getElementById("notify-live");
    if (!list) return;
    var seen = {}, urls = [];
    function add(raw) {
      var u;
      try { u = new URL(raw); } catch (e) { return; }
      if ((u.protocol !== "http:" && u.protocol !== "https:") || u.origin === location.origin) return;
      u.hash = "";
      if (!seen[u.href]) {
        seen[u.href] = true;
        urls.push(u.href);
      }
    }
    preview.querySelectorAll("a[href]").forEach(function (a) { add(a.getAttribute("href")); });
    if (el.ping_urls) el.ping_urls.value.split(/\s+/).forEach(function (s) { if (s) add(s); });
    var wasLeftOut = {}; // keep the writer's ticks across refreshes
    list.querySelectorAll('input[name="skip_link"]:checked').forEach(function (b) { wasLeftOut[b.value] = true; });
    var items = urls.map(function (href) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = href;
      a.rel = "noopener noreferrer";
      a.textContent = href;
      li.append(a);
      // A box to leave it out, unless the server's list below has one.
      var known = Array.prototype.some.call(document.querySelectorAll('#notify input[name="skip_link"]'),
        function (box) { return box.value === href; });
      if (!known) {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = "skip_link";
        box.value = href;
        box.setAttribute("form", "editor");
        box.checked = !!wasLeftOut[href];
        label.append(box, " Leave out");
        li.append(" ", label);
      }
      return li;
    });
    if (!items.length) {
      var none = document.createElement("li");
      none.className = "empty";
      none.textContent = "None yet: links to other sites appear here as you type them.";
      items.push(none);
    }
    list.replaceChildren.apply(list, items);
  }

  // edited runs after every change; bodyChanged also refreshes the preview.
  function edited(bodyChanged) {
    if (bodyChanged) {
      countWords();
      schedulePreview();
    } else if (el.ping_urls) {
      listNotified();
    }
    if (!copyTimer) copyTimer = setTimeout(keepCopy, COPY_MS);
    scheduleAutosave();
  }

  form.addEventListener("input", function (e) { edited(e.target === body); });
  form.addEventListener("change", function (e) { if (e.target.type !== "file") edited(false); });

  form.addEventListener("submit", function (e) {
    if (inflight) { // let a running autosave finish, so Save cannot add a second post
      e.preventDefault();
      var button = e.submitter;
      inflight.then(function () { form.requestSubmit(button); });
      return;
    }
    submitting = true;
    keepCopy(true);
  });

  // Publish says Schedule when the date chosen is still to come.
  var publishButton = document.getElementById("publish");
  if (publishButton && el.publish_at) {
    var relabel = function () {
      var at = el.publish_at.value ? new Date(el.publish_at.value + "Z") : null; // the field is UTC
      publishButton.textContent = at && at > new Date() ? "Schedule" : "Publish";
    };
    el.publish_at.addEventListener("input", relabel);
    el.publish_at.addEventListener("change", relabel);
    relabel();
  }

  // Save says what it will do with the status chosen.
  var saveButton = document.getElementById("save");
  if (el.status && saveButton) {
    var updateLabel = saveButton.textContent === "Update";
    el.status.addEventListener("change", function () {
      if (el.status.value === "draft") saveButton.textContent = "Save draft";
      else saveButton.textContent = updateLabel ? "Update" : "Save";
    });
  }

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === "s" || e.key === "S")) {
      e.preventDefault();
      form.requestSubmit(document.getElementById("save"));
    }
  });

  window.addEventListener("beforeunload", function (e) {
    if (submitting || !isDirty()) return;
    keepCopy();
    e.preventDefault();
    e.returnValue = "";
  });
  // Leaving or hiding the page saves what autosave has not sent yet.
  function saveOnLeave() {
    if (submitting || !autosaveOn || sessionLost || !isDirty() || !el.title.value.trim()) return;
    keepCopy();
    if (navigator.sendBeacon) navigator.sendBeacon(autosaveURL(), new FormData(form));
  }
  window.addEventListener("pagehide", saveOnLeave);
  // Back from logging in again in another tab: try at once.
  window.addEventListener("focus", function () { if (sessionLost) autosave(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") autosave();
  });

  // Small screens show the text or the preview; wide ones show both.
  var toggle = document.getElementById("preview-toggle");
  toggle.addEventListener("click", function () {
    var on = write.classList.toggle("show-preview");
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Show the text" : "Show the preview";
  });

  write.classList.add("side");
  document.getElementById("write-tools").hidden = false;
  var typed = document.getElementById("notify-typed");
  if (typed) typed.hidden = false;
  document.getElementById("preview-button").hidden = true;
  if (!autosaveOn) setStatus("Autosave is off for a post that is not a draft: press Save to change it.");
  countWords();
  listNotified();
  if (body.value && !preview.innerHTML.trim()) refreshPreview();
  offerCopy();
})();
