package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// commentGate applies the comment limits of the settings: one limiter per
// address and one per post, rebuilt when the settings change. With a
// RateStore (several instances on one database) the buckets are kept there
// instead, shared by every instance.
type commentGate struct {
	now    func() time.Time
	shared RateStore // nil: this process's memory
	log    *slog.Logger

	mu     sync.Mutex
	limits models.CommentLimits
	ip     *limiter // nil when the per-address limit is off
	post   *limiter
}

func newCommentGate(now func() time.Time, shared RateStore, log *slog.Logger) *commentGate {
	return &commentGate{now: now, shared: shared, log: log}
}

// allow charges one comment from ip to postID under limits; when either
// limit is spent it charges nothing and says how long to wait.
func (g *commentGate) allow(ctx context.Context, limits models.CommentLimits, ip string, postID int64) (bool, time.Duration) {
	if g.shared != nil {
		return g.allowShared(ctx, limits, ip, postID)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.post == nil || limits != g.limits {
		g.limits, g.ip = limits, nil
		if limits.IntervalSeconds > 0 {
			g.ip = newLimiter(rateEvery(time.Duration(limits.IntervalSeconds)*time.Second), limits.Burst, g.now)
		}
		g.post = newLimiter(rateEvery(time.Minute/time.Duration(limits.PerPostPerMinute)), limits.PerPostPerMinute, g.now)
	}
	ipKey, postKey := clientKey(ip), strconv.FormatInt(postID, 10)
	if g.ip != nil {
		if ok, wait := g.ip.peek(ipKey); !ok {
			return false, wait
		}
	}
	if ok, wait := g.post.allow(postKey); !ok {
		return false, wait
	}
	if g.ip != nil {
		g.ip.spend(ipKey)
	}
	return true, 0
}

// allowShared is allow on the shared buckets: the address's token is taken
// first and given back when the post's limit refuses, so a refused comment
// charges nothing there either.
func (g *commentGate) allowShared(ctx context.Context, limits models.CommentLimits, ip string, postID int64) (bool, time.Duration) {
	perIP := sharedLimiter{store: g.shared, prefix: "comment-ip:", now: g.now, log: g.log,
		every: time.Duration(limits.IntervalSeconds) * time.Second, burst: limits.Burst}
	perPost := sharedLimiter{store: g.shared, prefix: "comment-post:", now: g.now, log: g.log,
		every: perMinute(limits.PerPostPerMinute), burst: limits.PerPostPerMinute}
	ipKey := clientKey(ip)
	if limits.IntervalSeconds > 0 {
		if ok, wait := perIP.Allow(ctx, ipKey); !ok {
			return false, wait
		}
	}
	ok, wait := perPost.Allow(ctx, strconv.FormatInt(postID, 10))
	if !ok && limits.IntervalSeconds > 0 {
		perIP.refund(ctx, ipKey)
	}
	return ok, wait
}

// commentTooFast answers 429 with the post page and the reader's comment
// still in the form, so nothing they wrote is lost.
func (s *Server) commentTooFast(c *gin.Context, post *models.Post, form views.CommentForm, wait time.Duration) {
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	c.Header("Retry-After", strconv.Itoa(secs))
	form.Throttled = fmt.Sprintf("Comments are arriving too quickly. Wait %s, then send your comment again: it is kept below.", loginguard.Seconds(secs))
	s.renderPost(c, post, form)
}
