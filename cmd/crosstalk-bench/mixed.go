package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// mixedKinds are the client kinds of the mixed-write run, with their share
// of the clients (47 clients: 10, 10, 8, 4, 5, 10).
var mixedKinds = []struct {
	name  string
	share int
}{{"comment", 10}, {"trackback", 10}, {"webmention", 8}, {"moderation", 4}, {"xmlrpc edit", 5}, {"reader", 10}}

// maxIterations bounds every client's loop, whatever the clock says.
const maxIterations = 1_000_000

// kindStats counts one kind's answers.
type kindStats struct {
	requests, accepted, refused, server5xx, failed int
	missing                                        int // accepted but not in the database afterwards
}

// mixedResult is the run's outcome and what must be in the database.
type mixedResult struct {
	mu         sync.Mutex
	duration   time.Duration
	stats      map[string]*kindStats
	markers    map[string]string // marker → kind, for accepted comments, pings, mentions
	modStatus  map[int64]string  // comment id → last status set and acknowledged
	editTitles map[int64]string  // post id → last title acknowledged
	firstErrs  map[string]string // kind → first unexpected answer, to report
}

// runMixed runs the clients until d has passed (each also stops after
// maxIterations) and waits for all of them.
func runMixed(ctx context.Context, b *blog, clients int, d time.Duration) *mixedResult {
	res := &mixedResult{stats: map[string]*kindStats{}, markers: map[string]string{},
		modStatus: map[int64]string{}, editTitles: map[int64]string{}, firstErrs: map[string]string{}}
	total := 0
	for _, k := range mixedKinds {
		res.stats[k.name] = &kindStats{}
		total += k.share
	}
	// Requests are not cancelled at the deadline: each one in flight is
	// finished and counted, so what was acknowledged is known exactly.
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	client := 0
	for _, k := range mixedKinds {
		n := k.share * clients / total
		for i := range n {
			wg.Add(1)
			go func(kind string, i, c int) {
				defer wg.Done()
				for it := 0; it < maxIterations && ctx.Err() == nil && time.Now().Before(deadline); it++ {
					res.step(ctx, b, kind, i, n, c, it)
				}
			}(k.name, i, client)
			client++
		}
	}
	wg.Wait()
	res.duration = time.Since(start)
	return res
}

// step makes one request of kind for client c (the i-th of n of its kind).
func (m *mixedResult) step(ctx context.Context, b *blog, kind string, i, n, c, it int) {
	marker := fmt.Sprintf("mixed-%d-%d", c, it)
	var status int
	var ok bool
	var err error
	switch kind {
	case "comment":
		post := b.mainID
		if it%2 == 1 {
			post = b.editIDs[len(b.editIDs)-1]
		}
		status, err = b.comment(ctx, post, "Mixed reader", "Comment "+marker)
		ok = err == nil
		if !ok && status != 0 && status < 500 {
			err = nil // refused (a 4xx, a form error) is counted, not an error
		}
	case "trackback":
		ok, err = b.trackback(ctx, b.mainID, "https://"+marker+".example/post")
	case "webmention":
		status, err = b.webmention(ctx, "https://"+marker+".example/reply")
		ok = status == http.StatusCreated
	case "moderation":
		ok, status, err = m.moderate(ctx, b, i, n, it)
	case "xmlrpc edit":
		ok, status, err = m.edit(ctx, b, i, n, it, marker)
	case "reader":
		var r *response
		path := b.postPath
		if it%4 == 3 {
			path = "/"
		}
		if r, err = b.get(ctx, path); err == nil {
			status, ok = r.status, r.status == http.StatusOK
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.stats[kind]
	s.requests++
	switch {
	case status >= 500 || errors.Is(err, errHTTP5xx):
		s.server5xx++
	case err != nil:
		s.failed++
	case ok:
		s.accepted++
		if kind == "comment" || kind == "trackback" || kind == "webmention" {
			m.markers[marker] = kind
		}
	default:
		s.refused++
	}
	if err != nil || (!ok && status >= 500) {
		if _, seen := m.firstErrs[kind]; !seen {
			m.firstErrs[kind] = fmt.Sprintf("HTTP %d %v", status, err)
		}
	}
}

var errHTTP5xx = errors.New("server error")

var wpStatuses = []struct{ wp, stored string }{{"approve", "approved"}, {"hold", "pending"}, {"spam", "spam"}}

// moderate sets the next status on one of the seeded comments this client
// owns (ids i, i+n, i+2n…), so no two clients race on one comment.
func (m *mixedResult) moderate(ctx context.Context, b *blog, i, n, it int) (bool, int, error) {
	own := (len(b.modIDs) - i + n - 1) / n
	if own <= 0 {
		return false, 0, fmt.Errorf("no comment to moderate")
	}
	id := b.modIDs[i+n*(it%own)]
	st := wpStatuses[it%len(wpStatuses)]
	_, status, err := b.call(ctx, "wp.editComment", 1, "bench", b.appPass, int(id), map[string]any{"status": st.wp})
	if status >= 500 {
		return false, status, errHTTP5xx
	}
	if err != nil {
		return false, status, err
	}
	m.mu.Lock()
	m.modStatus[id] = st.stored
	m.mu.Unlock()
	return true, status, nil
}

// edit retitles the post this client owns over XML-RPC.
func (m *mixedResult) edit(ctx context.Context, b *blog, i, n, it int, marker string) (bool, int, error) {
	if i >= len(b.editIDs) {
		return false, 0, fmt.Errorf("no post to edit")
	}
	id := b.editIDs[i]
	title := "Edited " + marker
	_, status, err := b.call(ctx, "metaWeblog.editPost", strconv.FormatInt(id, 10), "bench", b.appPass,
		map[string]any{"title": title, "description": "Edited by " + marker + " over XML-RPC."}, true)
	if status >= 500 {
		return false, status, errHTTP5xx
	}
	if err != nil {
		return false, status, err
	}
	m.mu.Lock()
	m.editTitles[id] = title
	m.mu.Unlock()
	return true, status, nil
}

var markerRE = regexp.MustCompile(`mixed-\d+-\d+`)

// check looks for every accepted write in the database, counting the ones
// missing per kind.
func (m *mixedResult) check(ctx context.Context, d *benchDB) error {
	texts, err := d.texts(ctx)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	for _, t := range texts {
		for _, mk := range markerRE.FindAllString(t, -1) {
			found[mk] = true
		}
	}
	for mk, kind := range m.markers {
		if !found[mk] {
			m.stats[kind].missing++
		}
	}
	for id, want := range m.modStatus {
		got, err := d.feedbackStatus(ctx, id)
		if err != nil || got != want {
			m.stats["moderation"].missing++
		}
	}
	for id, want := range m.editTitles {
		got, err := d.postTitle(ctx, id)
		if err != nil || got != want {
			m.stats["xmlrpc edit"].missing++
		}
	}
	return nil
}
