// Images in the editor: drop or paste one into the text, or pick files, and
// it is uploaded to the form's data-media-url (POST, multipart field "file",
// answering {"url": ..., "name": ...}); its Markdown goes where the cursor
// was. Changes reach editor.js as input events, as typing does.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !form.dataset.mediaUrl) return;
  var body = form.elements.body;
  var picker = document.getElementById("e-image");
  var statusLine = document.getElementById("upload-status");

  function changed() { body.dispatchEvent(new Event("input", { bubbles: true })); }

  function insert(text) {
    body.focus();
    body.setRangeText(text, body.selectionStart, body.selectionEnd, "end");
    changed();
  }
  function replace(marker, text) {
    var i = body.value.indexOf(marker);
    if (i < 0) return;
    body.setRangeText(text, i, i + marker.length, "preserve");
    changed();
  }
  // markdownURL escapes what would end a Markdown link early.
  function markdownURL(u) {
    return String(u).replace(/[ ()<>]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); });
  }
  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
  }

  function upload(file) {
    var name = (file.name || "image").replace(/[[\]]/g, "");
    var marker = "![Uploading " + name + "…]()";
    insert(marker);
    say("Uploading " + name + "…");
    var fd = new FormData();
    fd.append("csrf_token", form.elements.csrf_token.value);
    fd.append("file", file, file.name || "image");
    fetch(form.dataset.mediaUrl, { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok || !data.url) throw new Error(data.error || "the server answered " + res.status);
          var alt = (data.name || name).replace(/[[\]]/g, "");
          replace(marker, "![" + alt + "](" + markdownURL(data.url) + ")");
          say("Uploaded " + name + ".");
        });
      })
      .catch(function (err) {
        replace(marker, "");
        say("The image " + name + " was not uploaded: " + err.message.replace(/\.?$/, "."), true);
      });
  }

  function images(list) {
    return Array.prototype.filter.call(list || [], function (f) { return /^image\//.test(f.type); });
  }
  function hasFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0;
  }

  body.addEventListener("dragover", function (e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    body.classList.add("dropping");
  });
  body.addEventListener("dragleave", function () { body.classList.remove("dropping"); });
  body.addEventListener("drop", function (e) {
    body.classList.remove("dropping");
    var files = images(e.dataTransfer && e.dataTransfer.files);
    if (!files.length) return;
    e.preventDefault();
    files.forEach(upload);
  });
  body.addEventListener("paste", function (e) {
    var files = images(e.clipboardData && e.clipboardData.files);
    if (!files.length) return;
    e.preventDefault();
    files.forEach(upload);
  });
  picker.addEventListener("change", function () {
    images(picker.files).forEach(upload);
    picker.value = "";
  });
  document.getElementById("upload").hidden = false;
})();
