package handlers

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/handlers/browsertest"
	"github.com/crosstalk/crosstalk/models"
)

// TestBrowserReplyAndRememberedName replies the way a reader does: Reply
// moves the form under the comment (Cancel moves it back), the reply shows
// nested once posted, and the name and email asked to be remembered are
// filled in on the next visit from the cookie, by comments.js.
func TestBrowserReplyAndRememberedName(t *testing.T) {
	tab := browsertest.New(t, 1280, 900)
	te := newThreadEnv(t, map[string]string{models.SettingModerateAll: "false"})
	defer tab.Report(t) // console errors (a CSP refusal too) fail the test
	ctx, cancel := context.WithTimeout(tab.Ctx, browserLimit)
	defer cancel()
	ann := id(te.ann)
	if err := chromedp.Do(ctx, chromedp.Navigate(te.srv.URL+te.path),
		chromedp.Click(chromedp.CSS(`a.comment-reply-link[data-commentid="`+ann+`"]`))); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `(ann) => document.getElementById("comment-" + ann).nextElementSibling.id === "respond" &&
		document.getElementById("comment_parent").value === ann && !document.getElementById("cancel-comment-reply-link").hidden &&
		document.getElementById("reply-title-text").textContent === "Reply to Ann" && document.activeElement.id === "c-content"`, ann); err != nil {
		t.Fatalf("the form did not move under Ann's comment: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#cancel-comment-reply-link"))); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => document.getElementById("respond").previousElementSibling.id === "respond-home" &&
		document.getElementById("comment_parent").value === "0" && document.getElementById("cancel-comment-reply-link").hidden`); err != nil {
		t.Fatalf("Cancel reply did not put the form back: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.comment-reply-link[data-commentid="`+ann+`"]`)),
		chromedp.SendKeys(chromedp.CSS("#c-name"), "Rita Reader"),
		chromedp.SendKeys(chromedp.CSS("#c-email"), "rita@example.com"),
		chromedp.SendKeys(chromedp.CSS("#c-content"), "Replying to Ann\n\nwith two paragraphs"),
		chromedp.Click(chromedp.CSS("#c-remember")),
		chromedp.Click(chromedp.CSS(`#comment-form button[type="submit"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `(ann) => location.hash.startsWith("#comment-") &&
		document.querySelector("#comment-" + ann + " ~ ol.children " + location.hash + " .comment-body").querySelectorAll("p").length === 2`, ann); err != nil {
		t.Fatalf("the reply is not shown nested under Ann's comment: %v", err)
	}
	// The next visit: the details come back from the cookie (the page itself names nobody).
	if err := chromedp.Do(ctx, chromedp.Navigate(te.srv.URL+te.path)); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => document.readyState === "complete" && document.getElementById("c-name").value === "Rita Reader" &&
		document.getElementById("c-email").value === "rita@example.com" && document.getElementById("c-remember").checked &&
		(document.getElementById("c-name").getAttribute("value") || "") === ""`); err != nil {
		t.Fatalf("the remembered name was not filled in: %v", err)
	}
}
