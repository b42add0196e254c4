package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const wrkOutput = `Running 10s test @ http://127.0.0.1:8080/2026/12/post
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.10ms   10.01ms 242.91ms   90.00%
    Req/Sec     1.13k   200.00     1.50k    70.00%
  Latency Distribution
     50%  487.00us
     75%    6.00ms
     90%   20.00ms
     99%   1.25s
  22550 requests in 10.00s, 800.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   2255.12
Transfer/sec:     80.00MB
`

func TestParseWrk(t *testing.T) {
	got, err := parseWrk(wrkOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{reqPerSec: 2255.12, p50: 487 * time.Microsecond, p99: 1250 * time.Millisecond,
		requests: 22550, non2xx: 7, errors: 5, ran: true, transferPerSecText: "80.00MB"}
	if got != want {
		t.Errorf("parseWrk = %+v, want %+v", got, want)
	}
	if _, err := parseWrk("wrk: connection refused"); err == nil {
		t.Error("output without Requests/sec parsed without error")
	}
}

func TestScanLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.log")
	log := strings.Join([]string{
		`time=1 level=INFO msg=request status=200`,
		`time=2 level=ERROR msg="internal error" err="store: add feedback: database is locked" request_id=a`,
		`time=3 level=ERROR msg="internal error" err="store: add feedback: database is locked" request_id=b`,
		`time=4 level=WARN msg="slow" err="database is locked"`,
		`time=5 level=ERROR msg=render page=post err="write: broken pipe"`,
	}, "\n")
	if err := os.WriteFile(path, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	locked, errs, err := scanLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if locked != 3 {
		t.Errorf("locked = %d, want 3", locked)
	}
	want := map[string]int{
		`"internal error" err="store: add feedback: database is locked"`: 2,
		`render page=post err="write: broken pipe"`:                      1,
	}
	if len(errs) != len(want) {
		t.Errorf("error messages = %v, want %v", errs, want)
	}
	for msg, n := range want {
		if errs[msg] != n {
			t.Errorf("error messages = %v, want %v", errs, want)
		}
	}
}

func TestReadRSS(t *testing.T) {
	s := readRSS(os.Getpid(), "now")
	if s.rss <= 0 || s.peak < s.rss || s.anon <= 0 || s.anon+s.file > s.rss+s.rss/10 {
		t.Errorf("readRSS(self) = %+v: want VmRSS > 0, VmHWM ≥ VmRSS and RssAnon+RssFile ≈ VmRSS", s)
	}
	if s := readRSS(-1, "gone"); s.rss != 0 {
		t.Errorf("readRSS of no process = %+v, want zeros", s)
	}
}

func TestFailures(t *testing.T) {
	ok := func() *results {
		r := &results{ping: wrkResult{ran: true}, pingsStored: 10, storedPings200: 10,
			mixed: &mixedResult{stats: map[string]*kindStats{}}}
		for _, k := range mixedKinds {
			r.mixed.stats[k.name] = &kindStats{requests: 2, accepted: 2}
		}
		return r
	}
	for _, tc := range []struct {
		name  string
		spoil func(*results)
		want  string // "" means no failure
	}{
		{"all stored", func(*results) {}, ""},
		{"a lost ping", func(r *results) { r.pingsStored = 9 }, "TrackBacks answered OK"},
		{"a 5xx", func(r *results) { r.mixed.stats["comment"].server5xx = 1 }, "mixed comment"},
		{"a lost edit", func(r *results) { r.mixed.stats["xmlrpc edit"].missing = 1 }, "not stored"},
		{"nothing accepted", func(r *results) { r.mixed.stats["webmention"].accepted = 0 }, "nothing accepted"},
		{"locked", func(r *results) { r.lockedLines = 1 }, "database is locked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok()
			tc.spoil(r)
			err := r.failures()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("failures() = %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("failures() = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// TestStatCPU: user and system ticks (fields 14 and 15) are read after the
// command name, which may hold spaces and parentheses.
func TestStatCPU(t *testing.T) {
	line := "4242 (cross talk (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 9 0 1000 1 1"
	if got, want := statCPU(line), 2870*time.Millisecond; got != want {
		t.Errorf("statCPU = %s, want %s", got, want)
	}
	if got := statCPU("garbage"); got != 0 {
		t.Errorf("statCPU of garbage = %s", got)
	}
}
