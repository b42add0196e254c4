package activitypub

import (
	"encoding/json"
	"testing"
)

func TestWantsJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"": false,
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": false,
		"*/*":                       false,
		"application/activity+json": true,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: true,
		`application/ld+json; profile="https://example.org/other"`:             false,
		"application/ld+json": true,
		`application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1`: true,
		"text/html, application/activity+json;q=0.5": false,
		"application/activity+json;q=0":              false,
		"application/json":                           false,
	} {
		if got := WantsJSON(accept); got != want {
			t.Errorf("WantsJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestLinkForms(t *testing.T) {
	for in, want := range map[string]Link{
		`"https://a.test/1"`:                          "https://a.test/1",
		`{"id":"https://a.test/2","type":"Note"}`:     "https://a.test/2",
		`{"type":"Link","href":"https://a.test/3"}`:   "https://a.test/3",
		`[{"type":"Link","href":"https://a.test/4"}]`: "https://a.test/4",
		`42`:   "",
		`null`: "",
	} {
		var l Link
		if err := json.Unmarshal([]byte(in), &l); err != nil || l != want {
			t.Errorf("%s: got %q, %v; want %q", in, l, err, want)
		}
	}
}

func TestPlainText(t *testing.T) {
	got := PlainText(`<p>Hi <a href="https://m.test/@a" class="u-url mention">@<span>alice</span></a> &amp; all</p><p>two<br>lines<script>x</script></p>`)
	want := "Hi @alice & all\n\ntwo\nlinesx"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestImagesIn(t *testing.T) {
	got := ImagesIn(`<p><img src="/media/1/a.png" alt="A cat"><img src="/media/1/a.png"><img src="javascript:x"><img src="https://cdn.example/b.jpg"></p>`, "https://blog.example/")
	if len(got) != 2 || got[0].URL != "https://blog.example/media/1/a.png" || got[0].Name != "A cat" || got[0].MediaType != "image/png" ||
		got[1].URL != "https://cdn.example/b.jpg" || got[1].MediaType != "image/jpeg" {
		t.Fatalf("got %+v", got)
	}
}
