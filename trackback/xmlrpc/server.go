package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"

	"github.com/crosstalk/crosstalk/trackback/text"
)

// DefaultMaxBody is the request body limit [NewServer] uses when given a
// non-positive one. It leaves room for media uploads through
// metaWeblog.newMediaObject, whose base64 is a third larger than the file.
const DefaultMaxBody = 32 << 20

// DefaultAnonymousBody is how much of a call [NewServer]'s Server reads
// before it knows who is calling: the whole of a call to a method that needs
// no login, and the part of an authenticated call up to its credentials.
const DefaultAnonymousBody = 64 << 10

// Authenticator checks the user name and password of a call to a method
// registered with [Server.RegisterAuthenticated], before the rest of the
// call is read. It returns the context the method runs with (carrying the
// user, so the method need not check the password again), or an error: a
// *[Fault] is sent as is, any other error as an internal fault.
type Authenticator func(ctx context.Context, method, login, password string) (context.Context, error)

// HandlerFunc implements one XML-RPC method. ctx is the HTTP request's
// context. The returned value is encoded as the response; see the package
// documentation for the supported types. To send a specific fault, return a
// *[Fault] (it may be wrapped); any other error is logged and answered with
// a generic fault.
type HandlerFunc func(ctx context.Context, params Params) (any, error)

// Server is an XML-RPC endpoint implementing [net/http.Handler]. It must be
// created with [NewServer]. Methods may be registered at any time and the
// Server is safe for concurrent use.
type Server struct {
	logger        *slog.Logger
	maxBody       int64
	anonymousBody int64

	mu      sync.RWMutex
	methods map[string]method
	auth    Authenticator
}

// method is a registered handler; loginAt is the index of the user name
// parameter (the password follows it), or -1 for a method without login.
type method struct {
	h       HandlerFunc
	loginAt int
}

// NewServer returns a Server that logs to logger (nil discards logs) and
// rejects request bodies larger than maxBody bytes (non-positive means
// [DefaultMaxBody]). Only calls whose credentials the [Authenticator]
// accepted may be that large; others are cut at [DefaultAnonymousBody]. The
// built-in method system.listMethods is registered.
func NewServer(logger *slog.Logger, maxBody int64) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	s := &Server{logger: logger, maxBody: maxBody, anonymousBody: min(DefaultAnonymousBody, maxBody),
		methods: make(map[string]method)}
	s.Register("system.listMethods", func(context.Context, Params) (any, error) {
		return s.Methods(), nil
	})
	return s
}

// Register makes h answer calls to method name, replacing any earlier
// handler for it (the built-in ones included). It panics if name is empty
// or h is nil.
func (s *Server) Register(name string, h HandlerFunc) { s.register(name, h, -1) }

// RegisterAuthenticated is Register for a method whose parameters loginAt
// and loginAt+1 are a user name and password: once they are decoded, the
// Authenticator set by SetAuthenticator checks them before the rest of the
// call is read, and only then may the call grow past DefaultAnonymousBody.
func (s *Server) RegisterAuthenticated(name string, loginAt int, h HandlerFunc) {
	if loginAt < 0 {
		panic("xmlrpc: RegisterAuthenticated needs a parameter index")
	}
	s.register(name, h, loginAt)
}

// SetAuthenticator sets the check of RegisterAuthenticated methods. Without
// one, their calls are cut at DefaultAnonymousBody like any other.
func (s *Server) SetAuthenticator(a Authenticator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth = a
}

func (s *Server) register(name string, h HandlerFunc, loginAt int) {
	if name == "" || h == nil {
		panic("xmlrpc: Register needs a method name and a handler")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods[name] = method{h: h, loginAt: loginAt}
}

// Methods returns the names of all registered methods in sorted order, for
// system.listMethods and mt.supportedMethods.
func (s *Server) Methods() []string {
	s.mu.RLock()
	names := make([]string, 0, len(s.methods))
	for name := range s.methods {
		names = append(names, name)
	}
	s.mu.RUnlock()
	slices.Sort(names)
	return names
}

// ServeHTTP answers an XML-RPC call. Requests other than POST get 405 and a
// plain-text message. Every XML-RPC answer, faults included, is sent with
// status 200 and Content-Type text/xml; charset=utf-8, as the specification
// requires.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		h := w.Header()
		h.Set("Allow", http.MethodPost)
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, "XML-RPC server accepts POST requests only.")
		return
	}
	ctx := r.Context()
	body := &stagedReader{r: http.MaxBytesReader(w, r.Body, s.maxBody), limit: s.anonymousBody}
	p := newDecoder(body)
	p.sizeHint = min(r.ContentLength, s.anonymousBody) // a stranger's claim sizes nothing large
	name, err := p.callHead()
	if err != nil {
		s.malformed(w, r, p.wrap(err))
		return
	}
	s.mu.RLock()
	m, ok := s.methods[name]
	auth := s.auth
	s.mu.RUnlock()
	if !ok {
		s.logger.DebugContext(ctx, "xmlrpc: unknown method", "method", name)
		s.writeFault(w, &Fault{Code: CodeMethodNotFound,
			Message: fmt.Sprintf("requested method %s not found", clip(name))})
		return
	}
	params, err := p.callParams(func(params []any) error {
		if m.loginAt < 0 || auth == nil || len(params) != m.loginAt+2 {
			return nil
		}
		login, _ := params[m.loginAt].(string)
		password, _ := params[m.loginAt+1].(string)
		authed, err := auth(ctx, name, login, password)
		if err != nil {
			return &authError{err}
		}
		ctx = authed
		body.limit = s.maxBody // the caller is known: the rest may be as large as allowed
		p.sizeHint = min(r.ContentLength, s.maxBody)
		return nil
	})
	var denied *authError
	switch {
	case errors.As(err, &denied):
		s.methodFailed(w, ctx, name, denied.err)
		return
	case err != nil:
		s.malformed(w, r, p.wrap(err))
		return
	}
	method, h := name, m.h

	result, err := s.invoke(ctx, method, h, params)
	if err != nil {
		s.methodFailed(w, ctx, method, err)
		return
	}
	var buf bytes.Buffer
	if err := EncodeResponse(&buf, result); err != nil {
		s.logger.ErrorContext(ctx, "xmlrpc: cannot encode result", "method", method, "err", err)
		s.writeFault(w, internalFault())
		return
	}
	s.write(w, buf.Bytes())
}

// malformed answers a call that could not be decoded or was too large.
func (s *Server) malformed(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.logger.WarnContext(r.Context(), "xmlrpc: request body too large",
			"remote", r.RemoteAddr, "limit", tooLarge.Limit)
		s.writeFault(w, &Fault{Code: CodeParseError, Message: "parse error. request too large"})
		return
	}
	s.logger.DebugContext(r.Context(), "xmlrpc: malformed request", "remote", r.RemoteAddr, "err", err)
	s.writeFault(w, toFault(err))
}

// methodFailed answers a method's (or the authenticator's) error: a *Fault
// as is, anything else as an internal fault, logged.
func (s *Server) methodFailed(w http.ResponseWriter, ctx context.Context, method string, err error) {
	var f *Fault
	if errors.As(err, &f) && f != nil {
		s.logger.DebugContext(ctx, "xmlrpc: fault", "method", method, "code", f.Code, "message", f.Message)
	} else {
		s.logger.ErrorContext(ctx, "xmlrpc: method failed", "method", method, "err", err)
		f = internalFault()
	}
	s.writeFault(w, f)
}

// authError carries the authenticator's refusal out of the decoder.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// stagedReader cuts the body at limit bytes; the server raises the limit once
// the caller is authenticated. Past it, reads fail with *http.MaxBytesError.
type stagedReader struct {
	r     io.Reader
	read  int64
	limit int64
}

func (b *stagedReader) Read(p []byte) (int, error) {
	if b.read >= b.limit {
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if rest := b.limit - b.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

// invoke calls h, turning a panic into an internal fault. A panic with
// http.ErrAbortHandler is re-raised so net/http aborts the response.
func (s *Server) invoke(ctx context.Context, method string, h HandlerFunc, params Params) (result any, err error) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if e, ok := v.(error); ok && errors.Is(e, http.ErrAbortHandler) {
			panic(v)
		}
		s.logger.ErrorContext(ctx, "xmlrpc: method panicked", "method", method,
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		result, err = nil, internalFault()
	}()
	return h(ctx, params)
}

func (s *Server) writeFault(w http.ResponseWriter, f *Fault) {
	var buf bytes.Buffer
	_ = EncodeFault(&buf, f.Code, f.Message) // cannot fail on a bytes.Buffer
	s.write(w, buf.Bytes())
}

func (s *Server) write(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// clip shortens a client-supplied method name echoed in a fault to about
// 100 characters, never splitting one.
func clip(s string) string { return text.Shorten(s, 100+len("..."), "...") }
