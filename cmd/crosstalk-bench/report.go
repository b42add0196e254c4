package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Goals from issue 12, in MB (10^6 bytes) as the issue gives them; figures
// are printed in MiB.
const (
	goalBinary  = 40_000_000
	goalIdleRSS = 40_000_000
	goalLoadRSS = 100_000_000
)

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// print writes the figures as Markdown tables, ready for README.
func (r *results) print(w io.Writer, cfg config) {
	fmt.Fprintf(w, "\ncrosstalk-bench: %s/%s, %d CPUs, Go %s; wrk -t2 -c16 -d%s --latency; load average %s before, %s after\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), strings.TrimPrefix(runtime.Version(), "go"), cfg.pageDur, r.loadBefore, r.loadAfter)
	fmt.Fprintln(w, "| work | figure | goal |")
	fmt.Fprintln(w, "|---|---|---|")
	fmt.Fprintf(w, "| release binary (-trimpath -tags nomsgpack -s -w) | %s | ≤ 40 MB %s |\n", mib(r.binarySize), mark(r.binarySize <= goalBinary))
	if r.blog.ran && r.bare.ran {
		fmt.Fprintf(w, "| post page (%d bytes), crosstalk | %.0f req/s, p50 %s, p99 %s, %d errors/non-2xx; server CPU %s per request | |\n",
			r.pageBytes, r.blog.reqPerSec, ms(r.blog.p50), ms(r.blog.p99), r.blog.errors+r.blog.non2xx, perRequest(r.blogCPU, r.blog))
		fmt.Fprintf(w, "| same bytes, bare net/http from memory | %.0f req/s, p50 %s, p99 %s | |\n",
			r.bare.reqPerSec, ms(r.bare.p50), ms(r.bare.p99))
		fmt.Fprintf(w, "| ratio crosstalk / bare | %.2f× | ≥ 0.8×, p99 ≤ 5 ms |\n", r.blog.reqPerSec/r.bare.reqPerSec)
	}
	if r.ping.ran {
		fmt.Fprintf(w, "| TrackBack pings (limits raised) | %.0f req/s, p50 %s, p99 %s; %d answered OK, %d stored; server CPU %s per ping | ≥ 3,000/s, p99 ≤ 20 ms, all stored %s |\n",
			r.ping.reqPerSec, ms(r.ping.p50), ms(r.ping.p99), r.storedPings200, r.pingsStored, perRequest(r.pingCPU, r.ping),
			mark(r.pingsStored >= r.storedPings200))
	}
	if m := r.mixed; m != nil {
		var req, acc, e5, miss int
		for _, s := range m.stats {
			req, acc, e5, miss = req+s.requests, acc+s.accepted, e5+s.server5xx, miss+s.missing
		}
		fmt.Fprintf(w, "| mixed writes, %d clients, %s | %d requests (%.0f/s), %d accepted, %d answers 5xx, %d \"database is locked\", %d accepted but not stored | 0, 0, 0 %s |\n",
			cfg.mixedClients, m.duration.Round(100*time.Millisecond), req, float64(req)/m.duration.Seconds(), acc, e5, r.lockedLines, miss,
			mark(e5 == 0 && r.lockedLines == 0 && miss == 0))
	}
	for _, s := range r.rss {
		goal, ok := "≤ 100 MB", s.rss <= goalLoadRSS
		if strings.HasPrefix(s.when, "idle") {
			goal, ok = "≤ 40 MB", s.rss <= goalIdleRSS
		}
		fmt.Fprintf(w, "| server RSS %s | VmRSS %s (anonymous %s, file %s), VmHWM %s | %s %s |\n",
			s.when, mib(s.rss), mib(s.anon), mib(s.file), mib(s.peak), goal, mark(ok))
	}
	if m := r.mixed; m != nil {
		fmt.Fprintln(w, "\n| mixed-write client | requests | accepted | refused (4xx) | 5xx | failed | accepted, not stored |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
		for _, k := range mixedKinds {
			s := m.stats[k.name]
			fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d |\n", k.name, s.requests, s.accepted, s.refused, s.server5xx, s.failed, s.missing)
		}
		msgs := make([]string, 0, len(r.errorLines))
		for msg := range r.errorLines {
			msgs = append(msgs, msg)
		}
		sort.Strings(msgs)
		for _, msg := range msgs {
			fmt.Fprintf(w, "server log, %d× level=ERROR msg=%s\n", r.errorLines[msg], msg)
		}
		for _, k := range mixedKinds {
			if e, ok := m.firstErrs[k.name]; ok {
				fmt.Fprintf(w, "first unexpected %s answer: %s\n", k.name, e)
			}
		}
	}
}

func mark(ok bool) string {
	if ok {
		return "(met)"
	}
	return "(**not met**)"
}

// isHelp reports whether err is the flag package's answer to -help, which
// ends the command without failing it.
func isHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }

// failures is what makes the command fail (and CI with it): a lost write or
// a server error. Speed and memory goals are reported, not enforced, since
// the machine is shared.
func (r *results) failures() error {
	var errs []error
	if r.ping.ran && r.pingsStored < r.storedPings200 {
		errs = append(errs, fmt.Errorf("%d TrackBacks answered OK but only %d stored", r.storedPings200, r.pingsStored))
	}
	if m := r.mixed; m != nil {
		for _, k := range mixedKinds {
			s := m.stats[k.name]
			if s.server5xx > 0 || s.missing > 0 || s.failed > 0 {
				errs = append(errs, fmt.Errorf("mixed %s: %d answers 5xx, %d failed, %d accepted but not stored", k.name, s.server5xx, s.failed, s.missing))
			}
			if s.accepted == 0 && k.name != "reader" {
				errs = append(errs, fmt.Errorf("mixed %s: nothing accepted", k.name))
			}
		}
	}
	if r.lockedLines > 0 {
		errs = append(errs, fmt.Errorf("%d \"database is locked\" in the server log", r.lockedLines))
	}
	return errors.Join(errs...)
}
