package models

import "testing"

func TestFeedbackNormalize(t *testing.T) {
	f := Feedback{
		AuthorName: " A\u202Enn\x0b\n", AuthorEmail: "ann@example.com\u200F", SourceURL: "https://a.example/\x00",
		TargetURL: "\uFEFFhttps://b.example/", Title: "Line\r\none\u2066", UserAgent: "UA\x1b[31m",
		Content: "Hi \u202Eevil\u202C\x0b\xff\r\nthere\tfriend\u0085bye",
	}
	f.Normalize()
	want := Feedback{
		AuthorName: "Ann", AuthorEmail: "ann@example.com", SourceURL: "https://a.example/",
		TargetURL: "https://b.example/", Title: "Line one", UserAgent: "UA[31m",
		Content: "Hi evil\uFFFD\nthere\tfriend\nbye",
	}
	if f != want {
		t.Errorf("Normalize:\n got %+v\nwant %+v", f, want)
	}
	again := f
	again.Normalize()
	if again != f {
		t.Errorf("Normalize is not idempotent: %+v", again)
	}
}
