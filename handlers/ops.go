package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/crosstalk/crosstalk/models"
)

// Pinger says whether the database answers (models.Store has it).
type Pinger interface {
	Ping(ctx context.Context) error
}

// healthTimeout bounds the database check of /healthz: a load balancer
// should hear "unavailable" quickly rather than wait.
const healthTimeout = 2 * time.Second

// ctxQuietLog marks a request logged at debug level (probes and scrapes,
// which come every few seconds and say nothing new).
const ctxQuietLog = "quiet_log"

// Ops is what the operator's endpoints need: /healthz and /metrics.
type Ops struct {
	// Health is asked by /healthz; nil checks only that the process answers.
	Health Pinger
	// Metrics serves /metrics (a promhttp handler on the registry built by
	// cmd); nil leaves /metrics unserved (404).
	Metrics http.Handler
	// MetricsAllow are the networks /metrics answers besides loopback;
	// everyone else gets 404.
	MetricsAllow []netip.Prefix
}

// opsRoutes adds /healthz and /metrics.
func (s *Server) opsRoutes(r gin.IRoutes) {
	getOrHead(r, "/healthz", quietLog, s.healthz)
	if s.Ops.Metrics != nil {
		getOrHead(r, "/metrics", quietLog, s.metricsGate, gin.WrapH(s.Ops.Metrics))
	}
}

func quietLog(c *gin.Context) { c.Set(ctxQuietLog, true) }

// healthz answers 200 "ok" while the process runs and the database answers
// within healthTimeout, else 503; never the error itself (it goes to the log).
func (s *Server) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if s.Ops.Health != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), healthTimeout)
		err := s.Ops.Health.Ping(ctx)
		cancel()
		if err != nil {
			s.Log.WarnContext(c.Request.Context(), "health check: database unreachable", "err", err)
			c.String(http.StatusServiceUnavailable, "unavailable\n")
			return
		}
	}
	c.String(http.StatusOK, "ok\n")
}

// metricsGate lets through only loopback and the --metrics-allow networks;
// anyone else gets a plain 404, as if there were nothing here. The client is
// gin's ClientIP, which honours X-Forwarded-For only from trusted proxies;
// a request forwarded by an untrusted proxy (a proxy on this machine left
// out of --trusted-proxies) is refused, since its client is unknown.
func (s *Server) metricsGate(c *gin.Context) {
	if !s.metricsAllowed(c) {
		c.Header("Cache-Control", "no-store")
		c.String(http.StatusNotFound, "404 page not found\n")
		c.Abort()
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Next()
}

func (s *Server) metricsAllowed(c *gin.Context) bool {
	if forwardedByStranger(c.Request) || (hasForwarding(c.Request.Header) && !s.trustedPeer(c.Request.RemoteAddr)) {
		return false
	}
	ip, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	if ip.IsLoopback() {
		return true
	}
	for _, p := range s.Ops.MetricsAllow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// trustedPeer reports whether the connection comes from a --trusted-proxies address.
func (s *Server) trustedPeer(remoteAddr string) bool { return fromTrusted(remoteAddr, s.proxyNets) }

// forwardedByStrangerKey marks a request whose forwarding headers
// forwardedFilter dropped: it came through a proxy that is not trusted.
type forwardedByStrangerKey struct{}

func forwardedByStranger(r *http.Request) bool {
	v, _ := r.Context().Value(forwardedByStrangerKey{}).(bool)
	return v
}

// hasForwarding reports whether h carries any of the headers a proxy adds.
func hasForwarding(h http.Header) bool {
	for name := range h {
		if isForwardingHeader(name) {
			return true
		}
	}
	return false
}

// Metrics counts what the HTTP layer sees, on the registry cmd builds:
// requests by route, method and status class with their latency, and
// linkbacks received by protocol and outcome (it is the intake's Observer).
type Metrics struct {
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	linkbacks *prometheus.CounterVec
}

// NewMetrics registers the HTTP layer's metrics on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crosstalk_http_requests_total",
			Help: "HTTP requests answered, by route (the matched pattern), method and status class."},
			[]string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "crosstalk_http_request_duration_seconds",
			Help: "Time to answer an HTTP request, by route and method.", Buckets: prometheus.DefBuckets},
			[]string{"route", "method"}),
		linkbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crosstalk_linkbacks_received_total",
			Help: "TrackBacks, Pingbacks and Webmentions received, by protocol and outcome."},
			[]string{"protocol", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.linkbacks} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// LinkbackReceived counts one received linkback (intake.Observer).
func (m *Metrics) LinkbackReceived(kind models.FeedbackKind, outcome string) {
	m.linkbacks.WithLabelValues(string(kind), outcome).Inc()
}

// observe is the middleware that counts requests. The route is gin's
// pattern (/:year/:month/:slug), never the raw path, so the label's values
// are bounded; requests no route matched are "unmatched".
func (m *Metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	m.count(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
}

// count records one answer: route is gin's pattern ("" when none matched).
func (m *Metrics) count(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		method = "other"
	}
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
	m.requests.WithLabelValues(route, method, strconv.Itoa(status/100)+"xx").Inc()
}

// NewOpsHandler serves /healthz and /metrics alone, for a listener of their
// own (--metrics-addr); /metrics keeps its allow list there too.
func NewOpsHandler(ops Ops, trustedProxies []string, log *slog.Logger) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	nets, err := parseProxies(trustedProxies)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: Deps{Ops: ops, Log: log}, proxyNets: nets}
	r := gin.New()
	if err := r.SetTrustedProxies(trustedProxies); err != nil {
		return nil, err
	}
	r.Use(s.requestLog(), gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, v any) {
		s.Log.ErrorContext(c.Request.Context(), "panic", "err", v)
		c.AbortWithStatus(http.StatusInternalServerError)
	}))
	s.opsRoutes(r)
	return forwardedFilter(r, trustedProxies)
}
