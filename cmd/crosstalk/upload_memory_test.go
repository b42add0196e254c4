package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// uploadBody is a metaWeblog.newMediaObject call with size bytes of base64,
// generated as it is sent so the test itself holds none of it.
func uploadBody(login, password string, size int64) io.Reader {
	head := `<?xml version="1.0"?><methodCall><methodName>metaWeblog.newMediaObject</methodName><params>` +
		`<param><value>1</value></param><param><value>` + login + `</value></param>` +
		`<param><value>` + password + `</value></param><param><value><struct>` +
		`<member><name>name</name><value>big.png</value></member>` +
		`<member><name>bits</name><value><base64>`
	tail := `</base64></value></member></struct></value></param></params></methodCall>`
	return io.MultiReader(strings.NewReader(head), io.LimitReader(repeatReader('A'), size), strings.NewReader(tail))
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestAnonymousUploadsStayWithinMemoryBound: sixteen parallel anonymous
// (and wrong-password) uploads of the largest size the endpoint accepts
// are refused after a small read: the server's peak memory stays under
// 200 MB, where decoding them all would take over a gigabyte.
func TestAnonymousUploadsStayWithinMemoryBound(t *testing.T) {
	skipUnlessLinux(t)
	db := filepath.Join(t.TempDir(), "blog.db")
	if code, _, errOut := runCmd(t, "a long password\n", env(nil), "user", "add", "--name", "ann", "--email", "ann@example.com",
		"--password-stdin", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	srv := startChild(t, "--db", db)
	const maxBase64 = 10 << 20 / 3 * 4 // the default 10 MiB upload cap, as base64
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			login, password := "nobody", "x"
			if i%2 == 1 {
				login, password = "ann", "wrong password"
			}
			res, err := http.Post(srv.url+"/xmlrpc", "text/xml", uploadBody(login, password, maxBase64))
			if err != nil {
				return // the server may close the connection on a body it will not read
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if !strings.Contains(string(b), "<fault>") {
				t.Errorf("upload %d was not refused: %.300s", i, b)
			}
		})
	}
	wg.Wait()
	const bound = 200 << 20
	peak := srv.peakRSS(t)
	t.Logf("peak RSS after 16 parallel refused uploads of %d MiB: %.1f MiB", maxBase64>>20, float64(peak)/(1<<20))
	if peak > bound {
		t.Fatalf("peak RSS %d MiB, want at most %d MiB", peak>>20, bound>>20)
	}
}
