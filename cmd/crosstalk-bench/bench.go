package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// results is everything the run measured.
type results struct {
	binarySize int64
	pageBytes  int
	blog, bare wrkResult
	ping       wrkResult
	// blogCPU and pingCPU are the server's CPU time (user and system)
	// during each run: per request, a figure the shared machine's load
	// disturbs less than the rates.
	blogCPU, pingCPU time.Duration
	pingsStored      int
	mixed            *mixedResult
	lockedLines      int
	errorLines       map[string]int // server log error messages → count
	loadBefore       string
	loadAfter        string
	rss              []rssSample
	storedPings200   int // pings answered OK according to wrk (requests minus errors)
}

// pingScript is the wrk script that sends TrackBacks to post 1.
const pingScript = ".ci/wrk-ping.lua"

// idlePause is how long the server is left without requests before its
// idle memory is read.
const idlePause = 3 * time.Second

// password is the bench user's; the blog only listens on loopback.
const password = "crosstalk-bench-password"

// bench builds, seeds, serves and measures. It returns what it measured so
// far even when a step fails.
func bench(ctx context.Context, cfg config, dir string, logw io.Writer) (res *results, err error) {
	res = &results{loadBefore: loadAvg()}
	if _, err := exec.LookPath("wrk"); err != nil {
		return nil, fmt.Errorf("wrk is not on PATH (apt-get install wrk): %w", err)
	}
	if _, err := os.Stat(pingScript); err != nil {
		return nil, fmt.Errorf("run from the repository root: %w", err)
	}
	built, bin := filepath.Join(dir, "crosstalk.built"), filepath.Join(dir, "crosstalk")
	fmt.Fprintln(logw, "building the release binary…")
	build := exec.CommandContext(ctx, "go", releaseBuild(cfg.version, built)...)
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	build.Stdout, build.Stderr = logw, logw
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("release build (run from the repository root): %w", err)
	}
	if res.binarySize, err = install(built, bin); err != nil {
		return nil, err
	}

	dbPath := filepath.Join(dir, "blog.db")
	add := exec.CommandContext(ctx, bin, "user", "add", "--name", "bench", "--email", "bench@example.com",
		"--password-stdin", "--db", dbPath)
	add.Stdin = strings.NewReader(password + "\n")
	add.Stdout, add.Stderr = logw, logw
	if err := add.Run(); err != nil {
		return nil, fmt.Errorf("crosstalk user add: %w", err)
	}

	srv, err := startServer(ctx, bin, dbPath, filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	fmt.Fprintln(logw, "seeding…")
	b, err := seed(ctx, srv.base, dbPath)
	if err != nil {
		return res, fmt.Errorf("seeding: %w", err)
	}
	defer func() { err = errors.Join(err, b.db.close()) }()
	page, err := b.get(ctx, b.postPath)
	if err != nil {
		return res, err
	}
	res.pageBytes = len(page.body)
	res.rss = append(res.rss, readRSS(srv.pid(), "at once after seeding"))
	// Idle is the server with no request for a while: it gives back what
	// the seeding's burst left free once quiet for a second (idleTrim).
	select {
	case <-time.After(idlePause):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	res.rss = append(res.rss, readRSS(srv.pid(), fmt.Sprintf("idle, %s without requests", idlePause)))

	bare, err := startBare(page)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, bare.Close()) }()

	fmt.Fprintln(logw, "post page: crosstalk, then the bare server…")
	cpu := cpuTime(srv.pid())
	if res.blog, err = runWrk(ctx, cfg.pageDur, srv.base+b.postPath, ""); err != nil {
		return res, err
	}
	res.blogCPU = cpuTime(srv.pid()) - cpu
	res.rss = append(res.rss, readRSS(srv.pid(), "after the post-page run"))
	if res.bare, err = runWrk(ctx, cfg.pageDur, "http://"+bare.Addr().String()+b.postPath, ""); err != nil {
		return res, err
	}

	fmt.Fprintln(logw, "TrackBack pings…")
	before, err := b.db.countTrackbacks(ctx, b.mainID)
	if err != nil {
		return res, err
	}
	cpu = cpuTime(srv.pid())
	if res.ping, err = runWrk(ctx, cfg.pingDur, srv.base+"/", pingScript); err != nil {
		return res, err
	}
	res.pingCPU = cpuTime(srv.pid()) - cpu
	after, err := b.db.countTrackbacks(ctx, b.mainID)
	if err != nil {
		return res, err
	}
	res.pingsStored = after - before
	res.storedPings200 = res.ping.requests - res.ping.non2xx - res.ping.errors
	res.rss = append(res.rss, readRSS(srv.pid(), "after the ping run"))

	fmt.Fprintf(logw, "mixed writes: %d clients for %s…\n", cfg.mixedClients, cfg.mixedDur)
	res.mixed = runMixed(ctx, b, cfg.mixedClients, cfg.mixedDur)
	// Writes answered OK must be in the database now: nothing is waited for.
	if err := res.mixed.check(ctx, b.db); err != nil {
		return res, err
	}
	res.rss = append(res.rss, readRSS(srv.pid(), "after the mixed-write run"))
	res.loadAfter = loadAvg()
	srv.stop()
	res.lockedLines, res.errorLines, err = scanLog(srv.logPath)
	return res, err
}

// install copies the built binary to where it is run, as a user installs
// it (cp, install, a package). Run straight from the linker's output, the
// kernel may map the freshly written file with 2 MiB pages, so the whole
// binary counts in the server's RSS (about 7 MiB more idle than installed).
func install(from, to string) (int64, error) {
	src, err := os.ReadFile(from) //nolint:gosec // G304: the binary this command just built
	if err != nil {
		return 0, err
	}
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755) //nolint:gosec // G302,G304: an executable in the command's own temporary folder
	if err != nil {
		return 0, err
	}
	for b := src; len(b) > 0; { // plain writes, as cp would
		n := min(len(b), 64<<10)
		if _, err := f.Write(b[:n]); err != nil {
			return 0, errors.Join(err, f.Close())
		}
		b = b[n:]
	}
	return int64(len(src)), f.Close()
}

// releaseBuild is README's release build command (after "go"): -trimpath,
// no symbol table or DWARF (-s -w), and gin without its MessagePack codec
// (nomsgpack: 6 MB less binary, and so less resident memory; Crosstalk
// binds no MessagePack).
func releaseBuild(version, out string) []string {
	return []string{"build", "-trimpath", "-tags", "nomsgpack",
		"-ldflags", "-s -w -X main.version=" + version, "-o", out, "./cmd/crosstalk"}
}

// server is the crosstalk process under test.
type server struct {
	cmd     *exec.Cmd
	base    string
	logPath string
	logFile *os.File
	done    chan struct{}
}

func startServer(ctx context.Context, bin, dbPath, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "serve", "--db", dbPath, "--addr", addr,
		"--ping-limit-ip", "100000000", "--ping-limit-post", "100000000")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, logPath: logPath, logFile: logFile, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, fmt.Errorf("crosstalk serve exited; see %s", logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			return s, c.Close()
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("crosstalk serve did not listen on %s within 30 s", addr)
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server with SIGTERM (SIGKILL after 10 s) and waits for it.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	_ = s.logFile.Close() // the log was written by the child; nothing to flush here
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}

// startBare serves page's bytes and content type from memory on every path:
// the fastest a Go server can answer this page.
func startBare(page *response) (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	body, ctype := page.body, page.header.Get("Content-Type")
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	})
	go func() { _ = (&http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}).Serve(l) }()
	return l, nil
}

// scanLog counts the server log's "database is locked" lines and its
// error lines by message (the request id left out). A client
// that hangs up (wrk stopping mid-request) is logged as an error too.
func scanLog(path string) (locked int, errs map[string]int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	errs = map[string]int{}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if bytes.Contains(line, []byte("database is locked")) {
			locked++
		}
		if !bytes.Contains(line, []byte("level=ERROR")) {
			continue
		}
		msg := line
		if i := bytes.Index(msg, []byte(" msg=")); i >= 0 {
			msg = msg[i+5:]
		}
		if i := bytes.Index(msg, []byte(" request_id=")); i >= 0 {
			msg = msg[:i]
		}
		errs[string(msg[:min(len(msg), 160)])]++
	}
	return locked, errs, nil
}

// loadAvg is /proc/loadavg's first three figures: the machine is shared.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
