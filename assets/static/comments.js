// Threaded comments, as WordPress's comment-reply.js: a Reply link moves
// the comment form under its comment (without JavaScript the link opens
// the page with the form set to reply, ?replytocom=ID), "Cancel reply"
// moves it back. The name, email and website a reader asked to be
// remembered are filled in from their cookie here, in the browser, so the
// page itself is the same for every reader and may be cached.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var parent = document.getElementById("comment_parent");
  var title = document.getElementById("reply-title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  if (!respond || !parent || !title || !cancel) return;
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function replyTo(id, author) {
    var comment = document.getElementById("comment-" + id);
    if (!comment) return false;
    comment.after(respond);
    parent.value = id;
    title.textContent = "Reply to " + author;
    cancel.hidden = false;
    return true;
  }
  function cancelReply() {
    home.after(respond);
    parent.value = "0";
    title.textContent = "Leave a comment";
    cancel.hidden = true;
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest("a.comment-reply-link");
    if (link && replyTo(link.dataset.commentid, link.dataset.author)) {
      e.preventDefault();
      document.getElementById("c-content").focus();
      return;
    }
    if (e.target.closest("#cancel-comment-reply-link")) {
      e.preventDefault();
      cancelReply();
    }
  });
  // A page opened with ?replytocom=ID already replies: show the form there too.
  if (parent.value !== "0") {
    var link = document.querySelector('a.comment-reply-link[data-commentid="' + parent.value + '"]');
    if (link) replyTo(parent.value, link.dataset.author);
  }

  var saved = document.cookie.match(/(?:^|;\s*)crosstalk_commenter=([^;]*)/);
  if (saved) {
    var v = new URLSearchParams(saved[1]);
    [["c-name", "n"], ["c-email", "e"], ["c-url", "u"]].forEach(function (f) {
      var input = document.getElementById(f[0]);
      if (input && !input.value) input.value = v.get(f[1]) || "";
    });
    var remember = document.getElementById("c-remember");
    if (remember) remember.checked = true;
  }
})();
