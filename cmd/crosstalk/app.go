package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/sessions"

	"github.com/crosstalk/crosstalk/assets"
	"github.com/crosstalk/crosstalk/handlers"
	"github.com/crosstalk/crosstalk/handlers/loginguard"
	"github.com/crosstalk/crosstalk/handlers/pagecache"
	"github.com/crosstalk/crosstalk/jobs"
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/federation"
	"github.com/crosstalk/crosstalk/models/markup"
	"github.com/crosstalk/crosstalk/models/posts"
	"github.com/crosstalk/crosstalk/trackback/safeclient"
	"github.com/crosstalk/crosstalk/views"
)

// app is the whole running blog: store, HTTP handler and background work.
type app struct {
	cfg     config
	log     *slog.Logger
	store   *models.Store
	handler http.Handler
	// trim is handler's wrapper that returns memory after a burst.
	trim *idleTrim
	// opsHandler serves /metrics and /healthz on --metrics-addr (nil without it).
	opsHandler http.Handler
	publisher  *jobs.Publisher
	verifier   *jobs.Verifier
	outbox     *jobs.Outbox
	// deliveries sends ActivityPub activities (Accept, Create, Update, Delete).
	deliveries *jobs.Deliveries
	changes    *changeBus
	// pages is the page cache (nil: off); other parts (metrics, invalidation
	// across instances) reach it here.
	pages *pagecache.Cache
	// client makes the blog's own outbound requests: discovery and pings.
	client     *http.Client
	setupToken string
	// posts writes posts; the purger empties its trash.
	posts *posts.Service
	// mailer sends the mail outbox through the mail server configured now.
	mailer *jobs.Mailer
}

func newApp(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	gin.SetMode(gin.ReleaseMode) // the one global gin needs, set once here
	store, err := models.Open(ctx, cfg.DB, models.Options{Logger: log, BaseURL: cfg.BaseURL})
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: store}
	if err := a.build(ctx); err != nil {
		return nil, errors.Join(err, store.Close())
	}
	return a, nil
}

func (a *app) build(ctx context.Context) error {
	sessionStore, err := a.sessionStore(ctx)
	if err != nil {
		return err
	}
	templates, assetFiles, err := themeFS(a.cfg.ThemeDir)
	if err != nil {
		return err
	}
	assetSet, err := assets.Load(assetFiles)
	if err != nil {
		return err
	}
	v, err := views.New(templates, views.Options{AssetURL: assetSet.URL})
	if err != nil {
		return err
	}
	n, err := a.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		a.setupToken = randomToken(16)
	}
	agent := safeclient.UserAgent(version, a.cfg.BaseURL)
	a.client = safeclient.New(safeclient.Options{AllowPrivateNetworks: a.cfg.AllowPrivateNetwork, UserAgent: agent})
	// Fetches that strangers trigger (checking a received linkback's source)
	// reach web ports only, so the blog cannot be used to probe other ports.
	inbound := safeclient.New(safeclient.Options{AllowPrivateNetworks: a.cfg.AllowPrivateNetwork, UserAgent: agent,
		Ports: []uint16{80, 443, 8080, 8443}})
	a.outbox = &jobs.Outbox{Store: a.store, Posts: a.store, Settings: a.store, Client: a.client,
		BaseURL: a.cfg.BaseURL, Log: a.log, PerHost: a.cfg.OutboxPerHost, Lease: a.cfg.OutboxLease}
	// Rendered public pages for anonymous readers; the handlers and the
	// verifier drop what their writes change (nil when turned off).
	a.deliveries = &jobs.Deliveries{Store: a.store, Client: a.client, Log: a.log, PerHost: a.cfg.OutboxPerHost,
		Lease: a.cfg.OutboxLease, Signer: federation.Signer(a.store, a.cfg.BaseURL)}
	a.pages = pagecache.New(pagecache.Options{MaxBytes: a.cfg.PageCacheBytes})
	md := markup.New(markup.WithMedia(a.store)) // srcset for uploaded images
	postService := posts.New(a.store, posts.Options{Markdown: md})
	a.posts = postService
	postService.OnChange(func(_ context.Context, c posts.Change) {
		if c.Notifies() {
			a.outbox.Wake() // notifications were queued with the post
		}
	})
	// The page cache's counters are not wired yet: no cache metrics until then.
	var cacheStats func() (hits, misses uint64)
	if a.pages != nil {
		cacheStats = func() (uint64, uint64) {
			hits, misses, _ := a.pages.Stats()
			return hits, misses
		}
	}
	m, err := newMetrics(a.store, cacheStats, a.log)
	if err != nil {
		return err
	}
	ops := handlers.Ops{Health: a.store, Metrics: m.handler(a.log), MetricsAllow: a.cfg.MetricsAllow}
	mainOps := ops
	if a.cfg.MetricsAddr != "" { // /metrics on its own listener only
		mainOps.Metrics = nil
		if a.opsHandler, err = handlers.NewOpsHandler(ops, splitList(a.cfg.TrustedProxies), a.log); err != nil {
			return err
		}
	}
	// Several instances share one PostgreSQL database, so their login
	// limits live there; a single SQLite process keeps them in memory and
	// spares its one writer two writes per login.
	// The ping and comment limits too.
	var logins *loginguard.Guard
	var rateLimits handlers.RateStore
	if models.IsPostgresURL(a.cfg.DB) {
		logins = loginguard.NewShared(loginguard.DefaultLimits(), nil, a.store.RateLimits(), a.log)
		rateLimits = a.store.RateLimits()
	}
	a.changes = &changeBus{shared: a.store.Changes(), log: a.log}
	mail, err := a.mailOutbox()
	if err != nil {
		return err
	}
	// Keys generated avatars and held comments' links, the same on every instance.
	commentKey, err := a.store.EnsureSetting(ctx, models.SettingCommentSecret, randomToken(32))
	if err != nil {
		return err
	}
	engine, err := handlers.NewHandler(handlers.Deps{Mail: mail, MailFlags: a.mailFlags(),
		Posts: a.store, Feedback: a.store, Users: a.store, Settings: a.store, Notifications: a.store,
		AppPasswords: a.store, Media: a.store, MaxUploadBytes: a.cfg.MaxUploadBytes,
		PostService: postService, Views: v, Assets: assetSet, Markdown: md, Sessions: sessionStore, Log: a.log,
		BaseURL: a.cfg.BaseURL, SetupToken: a.setupToken, TrustedProxies: splitList(a.cfg.TrustedProxies),
		PingLimits: handlers.PingLimits{PerIPPerMinute: a.cfg.PingLimitIP, PerPostPerMinute: a.cfg.PingLimitPost},
		Client:     inbound, WakeOutbox: a.outbox.Wake, Logins: logins, Ops: mainOps, Metrics: m.http,
		RateLimits: rateLimits, Changes: a.changes, PageCache: a.pages, CommentKey: []byte(commentKey),
		OldLinks:  a.store,
		Fediverse: a.store, WakeDeliveries: a.deliveries.Wake, Version: version,
		FetchAvatar: func(ctx context.Context, u string) (*models.Avatar, error) { return jobs.FetchAvatar(ctx, inbound, u) },
	})
	if err != nil {
		return err
	}
	a.trim = newIdleTrim(engine)
	a.handler = a.trim
	a.publisher = &jobs.Publisher{Posts: postService, Log: a.log, Interval: 5 * time.Second}
	a.verifier = &jobs.Verifier{Store: &changingVerifyStore{Store: a.store, changes: a.changes}, Client: inbound, BaseURL: a.cfg.BaseURL, Log: a.log,
		Interval: 3 * time.Second, Workers: 4, Changed: a.pages.InvalidatePost}
	m.watch(a.outbox, a.verifier, a.deliveries)
	return nil
}

// sessionStore makes the cookie store with keys generated on first run and
// kept in the database, so logins survive restarts.
func (a *app) sessionStore(ctx context.Context) (sessions.Store, error) {
	hashKey, err := a.store.EnsureSetting(ctx, models.SettingSessionHashKey, randomToken(64))
	if err != nil {
		return nil, err
	}
	blockKey, err := a.store.EnsureSetting(ctx, models.SettingSessionBlockKey, randomToken(32))
	if err != nil {
		return nil, err
	}
	hk, err1 := hex.DecodeString(hashKey)
	bk, err2 := hex.DecodeString(blockKey)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("session keys in the database are damaged: %w", err)
	}
	cs := sessions.NewCookieStore(hk, bk)
	cs.Options = &sessions.Options{Path: "/", MaxAge: 14 * 24 * 3600, HttpOnly: true,
		Secure: strings.HasPrefix(a.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode}
	return cs, nil
}

// serve runs the HTTP server on ln (and the metrics server on metricsLn,
// when not nil) and the background work until ctx ends. Then, at once and
// side by side, the servers stop accepting and finish the requests in
// flight, and the background work stops: the outbox finishes the pings on
// their way and gives back the notifications it holds, so other instances
// take them without waiting for the lease to run out.
func (a *app) serve(ctx context.Context, ln, metricsLn net.Listener) error {
	if a.setupToken != "" {
		a.log.Info("no user yet: open this address to set up the blog (once)",
			"url", a.cfg.BaseURL+"/setup?token="+a.setupToken)
	}
	servers := []*http.Server{a.httpServer(a.handler)}
	listeners := []net.Listener{ln}
	if metricsLn != nil && a.opsHandler != nil {
		servers, listeners = append(servers, a.httpServer(a.opsHandler)), append(listeners, metricsLn)
	}
	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { a.publisher.Run(bgCtx) })
	wg.Go(func() { a.verifier.Run(bgCtx) })
	wg.Go(func() { (&jobs.Purger{Feedback: a.store, Log: a.log, Trash: a.posts}).Run(bgCtx) })
	wg.Go(func() { a.deliveries.Run(bgCtx) })
	wg.Go(func() { a.outbox.Run(bgCtx) }) // pings on their way are finished, held notifications given back
	wg.Go(func() { a.changes.listen(bgCtx) })
	if a.mailer != nil {
		wg.Go(func() { a.mailer.Run(bgCtx) })
	}
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		a.trim.run(bgCtx, tick.C)
	})

	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "base_url", a.cfg.BaseURL, "db", a.cfg.DB)
	if len(servers) > 1 {
		a.log.Info("serving metrics", "addr", metricsLn.Addr().String())
	}
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		a.log.Info("shutting down: finishing requests in flight")
	}
	stopBackground()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	var errs sync.WaitGroup
	shutdownErrs := make([]error, len(servers))
	for i, srv := range servers {
		errs.Go(func() { shutdownErrs[i] = srv.Shutdown(shutdownCtx) })
	}
	errs.Wait()
	cancel()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	a.log.Info("stopped")
	return errors.Join(err, errors.Join(shutdownErrs...), a.store.Close())
}

func (a *app) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}
