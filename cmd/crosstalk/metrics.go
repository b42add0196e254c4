package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/crosstalk/crosstalk/handlers"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
)

// metrics is every Prometheus metric of the process, on a registry of its
// own (no package-level default registry).
type metrics struct {
	reg           *prometheus.Registry
	http          *handlers.Metrics
	notifications *prometheus.CounterVec
	verifications *prometheus.CounterVec
	deliveries    *prometheus.CounterVec
}

// depthTimeout bounds the outbox count made during a scrape.
const depthTimeout = 2 * time.Second

func newMetrics(store *models.Store, cacheStats func() (hits, misses uint64), log *slog.Logger) (*metrics, error) {
	reg := prometheus.NewRegistry()
	m := &metrics{reg: reg,
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crosstalk_outbox_outcomes_total",
			Help: "Linkback notifications recorded by the outbox, by protocol (none before discovery) and the state left in."},
			[]string{"protocol", "state"}),
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crosstalk_verifications_total",
			Help: "Checks of received linkbacks' sources, by protocol and outcome (verified, failed, retry)."},
			[]string{"protocol", "outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crosstalk_fediverse_deliveries_total",
			Help: "Fediverse deliveries attempted, by activity type and outcome (sent; retried: failed, tried again later; failed: refused or given up)."},
			[]string{"type", "outcome"}),
	}
	cs := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.notifications, m.verifications, m.deliveries,
		newDepthCollector("crosstalk_outbox_notifications",
			"Linkback notifications waiting (queued) or held by a process (working, sending), in the whole database.", store.OutboxDepth, log),
		newDepthCollector("crosstalk_fediverse_deliveries",
			"Fediverse deliveries waiting (queued) or held by a process (sending), in the whole database.", store.DeliveryDepth, log),
	}
	for name, db := range store.Pools() {
		cs = append(cs, collectors.NewDBStatsCollector(db, name))
	}
	if cacheStats != nil {
		cs = append(cs,
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "crosstalk_page_cache_hits_total",
				Help: "Pages answered from the page cache."}, func() float64 { h, _ := cacheStats(); return float64(h) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "crosstalk_page_cache_misses_total",
				Help: "Pages made because the page cache did not have them."}, func() float64 { _, n := cacheStats(); return float64(n) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crosstalk_page_cache_hit_ratio",
				Help: "Share of cacheable pages answered from the page cache since start (0 before any)."},
				func() float64 {
					h, n := cacheStats()
					if h+n == 0 {
						return 0
					}
					return float64(h) / float64(h+n)
				}))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	var err error
	if m.http, err = handlers.NewMetrics(reg); err != nil {
		return nil, err
	}
	return m, nil
}

// handler serves the registry in Prometheus's text format. A collector's
// error is logged, not shown, and the other metrics are still served.
func (m *metrics) handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// watch hooks the outboxes' and the verifier's outcomes.
func (m *metrics) watch(o *jobs.Outbox, v *jobs.Verifier, d *jobs.Deliveries) {
	d.Finished = func(activityType string, state models.NotificationState) {
		m.deliveries.WithLabelValues(activityType, deliveryOutcome(state)).Inc()
	}
	o.Finished = func(protocol string, state models.NotificationState) {
		if protocol == "" {
			protocol = "none"
		}
		m.notifications.WithLabelValues(protocol, string(state)).Inc()
	}
	v.Checked = func(kind models.FeedbackKind, outcome string) {
		m.verifications.WithLabelValues(string(kind), outcome).Inc()
	}
}

// deliveryOutcome names the state a delivery attempt left it in.
func deliveryOutcome(state models.NotificationState) string {
	switch state {
	case models.NotifySent:
		return "sent"
	case models.NotifyQueued:
		return "retried"
	}
	return "failed"
}

// depthCollector reports an outbox's queue depth, counted in the database
// when scraped, so every instance sharing it reports the same numbers.
type depthCollector struct {
	desc  *prometheus.Desc
	depth func(ctx context.Context) (map[models.NotificationState]int64, error)
	log   *slog.Logger
}

func newDepthCollector(name, help string, depth func(ctx context.Context) (map[models.NotificationState]int64, error), log *slog.Logger) *depthCollector {
	return &depthCollector{depth: depth, log: log, desc: prometheus.NewDesc(name, help, []string{"state"}, nil)}
}

func (d *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- d.desc }

func (d *depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), depthTimeout)
	defer cancel()
	counts, err := d.depth(ctx)
	if err != nil {
		d.log.Warn("metrics: queue depth", "err", err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(d.desc, prometheus.GaugeValue, float64(n), string(state))
	}
}
