package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/trackback"
)

const ctxRequestID = "request_id"

// requestIDKey carries the request id in a request's context.Context.
type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestIDHandler adds a request_id attribute to every record logged with a
// request's context, whoever logs it (a handler, the store's query log).
type requestIDHandler struct{ slog.Handler }

// LogHandler wraps h so that records logged with a request's context carry
// its request_id. Wrapping twice adds nothing.
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(requestIDHandler); ok {
		return h
	}
	return requestIDHandler{h}
}

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// requestLog gives each request an id, puts it in the request's context
// (so every line logged with that context names it) and logs the request
// once finished.
func (s *Server) requestLog() gin.HandlerFunc {
	// Built once, before the engine serves: the server's own lines carry the
	// id even when the caller passed a logger that does not add it.
	s.Log = slog.New(LogHandler(s.Log.Handler()))
	return func(c *gin.Context) {
		id := randomHex(8)
		c.Set(ctxRequestID, id)
		c.Request = c.Request.WithContext(WithRequestID(c.Request.Context(), id))
		c.Header("X-Request-ID", id)
		start := time.Now()
		c.Next()
		level := slog.LevelInfo
		if c.GetBool(ctxQuietLog) {
			level = slog.LevelDebug
		}
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		s.Log.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path), slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)), slog.String("ip", c.ClientIP()))
	}
}

// recovery turns a panic into the 500 page and a logged stack.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if e, ok := v.(error); ok && errors.Is(e, http.ErrAbortHandler) {
					panic(v)
				}
				err := fmt.Errorf("panic: %v\n%s", v, debug.Stack())
				if strings.HasPrefix(c.Request.URL.Path, "/trackback/") { // ping clients read XML only
					s.Log.ErrorContext(c.Request.Context(), "panic", "err", err)
					trackback.WriteError(c.Writer, http.StatusInternalServerError, "The ping could not be handled; try again later.")
				} else {
					s.renderError(c, err)
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// securityHeaders allows only the blog's own assets and forbids framing.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		setSecurityHeaders(c.Writer.Header())
		c.Next()
	}
}

// Security header values, shared read-only by every answer (canonical
// names, so they are set without canonicalising on every request).
var (
	cspValue            = []string{contentPolicy(false, false, nil)}
	nosniffValue        = []string{"nosniff"}
	referrerPolicyValue = []string{"strict-origin-when-cross-origin"}
	frameOptionsValue   = []string{"DENY"}
)

// setSecurityHeaders sets what securityHeaders sets: gin's routes and the
// page cache's answers in front of gin (cacheFront) send the same.
func setSecurityHeaders(h http.Header) {
	h["Content-Security-Policy"] = cspValue
	h["X-Content-Type-Options"] = nosniffValue
	h["Referrer-Policy"] = referrerPolicyValue
	h["X-Frame-Options"] = frameOptionsValue
}

// crossOrigin refuses browser requests that change state from another site
// (Go's CrossOriginProtection). Linkback endpoints are cross-site by design
// and are exempt; they have their own defences.
func (s *Server) crossOrigin(exempt ...string) gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	for _, pattern := range exempt {
		cop.AddInsecureBypassPattern(pattern)
	}
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			s.renderStatus(c, http.StatusForbidden, "Request refused",
				"This form was sent from another site. Go back, reload the page and try again.")
			c.Abort()
			return
		}
		c.Next()
	}
}

// noStore keeps admin pages (a one-time app password, drafts) out of
// browser and proxy caches.
func noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}

// limitBody refuses request bodies larger than n before anything reads them.
// A body of unknown length (chunked) is read up to the cap first, so one
// over it is answered 413 here rather than reaching a handler truncated.
func (s *Server) limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			s.tooLarge(c)
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		if c.Request.ContentLength < 0 {
			body, err := io.ReadAll(c.Request.Body)
			if tooLargeErr(err) {
				s.tooLarge(c)
				return
			}
			c.Request.Body = io.NopCloser(bytes.NewReader(body))
			c.Request.ContentLength = int64(len(body))
		}
		c.Next()
	}
}

// tooLarge answers 413 and stops the chain.
func (s *Server) tooLarge(c *gin.Context) {
	c.Header("Connection", "close") // the rest of the body is not read
	s.renderStatus(c, http.StatusRequestEntityTooLarge, "Too large", "The request was larger than this page accepts.")
	c.Abort()
}

// tooLargeErr reports whether err comes from a body read past its cap.
func tooLargeErr(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// formTooLarge parses the form (multipart or not) and reports whether the
// body went past its cap: a form check must answer 413 then, not judge
// the truncated form.
func formTooLarge(c *gin.Context) bool {
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		err = c.Request.ParseMultipartForm(32 << 20) // gin's default memory bound
	} else {
		err = c.Request.ParseForm()
	}
	return tooLargeErr(err)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}

// NewHandler is the handler to serve: New's engine behind the page
// cache's front (cacheFront) and forwardedFilter.
func NewHandler(d Deps) (http.Handler, error) {
	h, err := newFront(d)
	if err != nil {
		return nil, err
	}
	return forwardedFilter(h, d.TrustedProxies)
}

// forwardedFilter drops the X-Forwarded-* family (and Forwarded, X-Real-IP)
// from requests that do not come from a trusted proxy, before gin sees them:
// gin's trailing-slash redirect honours X-Forwarded-Prefix from anyone.
// Such a request is marked as forwarded by a stranger (see metricsGate).
// trusted holds addresses or CIDR prefixes, as --trusted-proxies does.
func forwardedFilter(next http.Handler, trusted []string) (http.Handler, error) {
	nets, err := parseProxies(trusted)
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fromTrusted(r.RemoteAddr, nets) && hasForwarding(r.Header) {
			for name := range r.Header {
				if isForwardingHeader(name) {
					r.Header.Del(name)
				}
			}
			r = r.WithContext(context.WithValue(r.Context(), forwardedByStrangerKey{}, true))
		}
		next.ServeHTTP(w, r)
	}), nil
}

// parseProxies reads --trusted-proxies: addresses or CIDR prefixes.
func parseProxies(trusted []string) ([]netip.Prefix, error) {
	var nets []netip.Prefix
	for _, t := range trusted {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			a, aerr := netip.ParseAddr(t)
			if aerr != nil {
				return nil, fmt.Errorf("trusted proxy %q: give an IP address or a CIDR prefix", t)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		nets = append(nets, p.Masked())
	}
	return nets, nil
}

// isForwardingHeader reports a header (canonical name) that proxies add.
func isForwardingHeader(name string) bool {
	return strings.HasPrefix(name, "X-Forwarded-") || name == "Forwarded" || name == "X-Real-Ip"
}

func fromTrusted(remoteAddr string, nets []netip.Prefix) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	for _, n := range nets {
		if n.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}
