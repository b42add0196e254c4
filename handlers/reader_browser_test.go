package handlers

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/crosstalk/crosstalk/handlers/browsertest"
)

// TestBrowserMenuAndSearch follows the header menu to a page, then searches
// from the header's box, as a reader would, on a phone-sized window too.
func TestBrowserMenuAndSearch(t *testing.T) {
	tab := browsertest.New(t, 1280, 900)
	r := newReaderSite(t)
	defer tab.Report(t)
	ctx, cancel := context.WithTimeout(tab.Ctx, browserLimit)
	defer cancel()
	base := r.e.srv.URL
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => [...document.querySelectorAll(".site-nav .menu > li > a")].map(a => a.textContent).join(",") === "Contact,About"`); err != nil {
		t.Fatalf("the header menu in menu order: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.site-nav a[href="/about"]`))); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => location.pathname === "/about" && document.readyState === "complete" &&
		document.querySelector('.site-nav a[aria-current="page"]').textContent === "About"`); err != nil {
		t.Fatalf("the page, marked current in the menu: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#site-search"), "leek soup"),
		chromedp.Submit(chromedp.CSS("#site-search")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => location.search === "?s=leek+soup" && document.readyState === "complete" &&
		document.querySelector(".search-hit h2 a").textContent === "Second post" &&
		document.querySelectorAll(".search-hit mark").length >= 2 &&
		document.querySelector("#site-search").value === "leek soup"`); err != nil {
		t.Fatalf("the results, words highlighted, the query kept in the box: %v", err)
	}
	// On a phone, the search box fits the window.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 800)); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitFor(ctx, `() => { const r = document.querySelector("#site-search").getBoundingClientRect();
		return r.width > 100 && r.right <= window.innerWidth && document.documentElement.scrollWidth <= window.innerWidth }`); err != nil {
		t.Fatalf("the search box at 390 px: %v", err)
	}
}
