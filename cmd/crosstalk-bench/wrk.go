package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run printed.
type wrkResult struct {
	reqPerSec          float64
	p50, p99           time.Duration
	requests           int
	non2xx, errors     int
	ran                bool
	transferPerSecText string
}

// runWrk runs wrk -t2 -c16 for d against url, with a Lua script if given.
func runWrk(ctx context.Context, d time.Duration, url, script string) (wrkResult, error) {
	args := []string{"-t2", "-c16", "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	if script != "" {
		args = append(args, "-s", script)
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %w\n%s", url, err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkReqSec    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkTotal     = regexp.MustCompile(`(\d+) requests in`)
	wrkNon2xx    = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSocketErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkPercent   = regexp.MustCompile(`^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkTransfer  = regexp.MustCompile(`Transfer/sec:\s+(\S+)`)
)

func parseWrk(out string) (wrkResult, error) {
	r := wrkResult{ran: true}
	m := wrkReqSec.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no Requests/sec:\n%s", out)
	}
	r.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkTotal.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(m[1])
	}
	if m := wrkSocketErr.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	if m := wrkTransfer.FindStringSubmatch(out); m != nil {
		r.transferPerSecText = m[1]
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		m := wrkPercent.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		d := time.Duration(v * float64(unit))
		if m[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	return r, nil
}

// rssSample is the server's memory at one moment.
type rssSample struct {
	when       string
	rss, peak  int64 // bytes: VmRSS and VmHWM
	anon, file int64 // VmRSS split: the process's own memory, and mapped file pages (the binary)
}

// readRSS reads VmRSS, VmHWM, RssAnon and RssFile of pid from /proc (zero where unavailable).
func readRSS(pid int, when string) rssSample {
	s := rssSample{when: when}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			s.rss = kb << 10
		case "VmHWM:":
			s.peak = kb << 10
		case "RssAnon:":
			s.anon = kb << 10
		case "RssFile:":
			s.file = kb << 10
		}
	}
	return s
}

// cpuTime is the CPU time pid has used (user and system), from
// /proc/PID/stat in clock ticks of 10 ms; zero where unavailable.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	return statCPU(string(data))
}

// statCPU reads utime and stime from a /proc/PID/stat line.
func statCPU(data string) time.Duration {
	// The command name, in parentheses, may hold spaces: count from after it.
	i := strings.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(data[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64) // field 14 of the whole line
	stime, _ := strconv.ParseInt(f[12], 10, 64) // field 15
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// perRequest is cpu spread over a run's requests, in microseconds.
func perRequest(cpu time.Duration, r wrkResult) string {
	if r.requests == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f µs", float64(cpu.Microseconds())/float64(r.requests))
}
