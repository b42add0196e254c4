package trackback

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParsePingBody(f *testing.F) {
	seeds := []struct{ body, ct string }{
		{"title=Foo+Bar&url=http://www.bar.com/&excerpt=My+Excerpt&blog_name=Foo", "application/x-www-form-urlencoded; charset=utf-8"},
		{"title=%93%FA%96%7B%8C%EA&url=http%3A%2F%2Fjp.example%2F&excerpt=%82%B1%82%EA&blog_name=%83u%83%8D%83O", "application/x-www-form-urlencoded; charset=Shift_JIS"},
		{"title=%C6%FC%CB%DC&url=http://jp.example/&charset=EUC-JP", "application/x-www-form-urlencoded"},
		{"title=Caf%E9&url=http://fr.example/caf%C3%A9&excerpt=%93quoted%94", "application/x-www-form-urlencoded"},
		{"url=https://a.example/p?x=1%26y%3D2&title=%3Cb%3Eb%3C%2Fb%3E&excerpt=%00%01%7F%C2%85", ""},
		{"url=javascript:alert(1)&title=x", "application/x-www-form-urlencoded; charset=utf-8"},
		{"url=http://u:p@a.example/&excerpt=" + strings.Repeat("word+", 100), "application/x-www-form-urlencoded"},
		{"url=http://a.example/&title=%2BAGEAYgBj-", "application/x-www-form-urlencoded; charset=utf-7"},
		{"url=http://a.example/&title=%841%A47", "application/x-www-form-urlencoded; charset=gb18030"},
		{"url=http://a.example/&title=%1B%24B%46%7C%1B%28B", "text/plain; charset=iso-2022-jp"},
		{"url=http%3A%2F%2Fa.example%2F&title=%FE%FF%00a", "application/x-www-form-urlencoded; charset=utf-16"},
		{"url=%20http://a.example/%20&title=&excerpt=&blog_name=&charset=", "multipart/form-data; boundary=x"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.ct)
	}
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		p, err := ParsePingBody(body, ct)
		if err != nil {
			known := []error{ErrMissingURL, ErrInvalidURL, ErrUnsupportedCharset, ErrUndecodable, ErrTooLarge}
			for _, e := range known {
				if errors.Is(err, e) {
					if p != (Ping{}) {
						t.Errorf("ping %+q returned with error %v", p, err)
					}
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		checkPingInvariants(t, p)
	})
}

func BenchmarkParsePingBody(b *testing.B) {
	bodies := []struct{ name, body, ct string }{
		{"utf-8", "title=Foo+Bar&url=http://www.bar.com/2024/05/entry.html&excerpt=" + strings.Repeat("Some+words+of+the+excerpt+", 12) + "&blog_name=Foo", "application/x-www-form-urlencoded; charset=utf-8"},
		{"html", "title=%3Cb%3EFoo%3C%2Fb%3E&url=http://www.bar.com/&excerpt=" + strings.Repeat("%3Cp%3ESome+%3Cem%3Ewords%3C%2Fem%3E+%26amp%3B+more%3C%2Fp%3E", 12) + "&blog_name=Foo", "application/x-www-form-urlencoded; charset=utf-8"},
		{"shift_jis", "title=%93%FA%96%7B%8C%EA&url=http://jp.example/&excerpt=" + strings.Repeat("%82%B1%82%EA%82%CD", 40) + "&blog_name=%83u%83%8D%83O", "application/x-www-form-urlencoded; charset=Shift_JIS"},
	}
	for _, bb := range bodies {
		b.Run(bb.name, func(b *testing.B) {
			body := []byte(bb.body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePingBody(body, bb.ct); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
