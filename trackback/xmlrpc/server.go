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
	logger  *slog.Logger
	maxBody int64

	mu      sync.RWMutex
	methods map[string]HandlerFunc
}

// NewServer returns a Server that logs to logger (nil discards logs) and
// rejects request bodies larger than maxBody bytes (non-positive means
// [DefaultMaxBody]). The built-in method system.listMethods is registered.
func NewServer(logger *slog.Logger, maxBody int64) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	s := &Server{logger: logger, maxBody: maxBody, methods: make(map[string]HandlerFunc)}
	s.Register("system.listMethods", func(context.Context, Params) (any, error) {
		return s.Methods(), nil
	})
	return s
}

// Register makes h answer calls to method name, replacing any earlier
// handler for it (the built-in ones included). It panics if name is empty
// or h is nil.
func (s *Server) Register(name string, h HandlerFunc) {
	if name == "" || h == nil {
		panic("xmlrpc: Register needs a method name and a handler")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods[name] = h
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
	method, params, err := decodeCall(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.logger.WarnContext(ctx, "xmlrpc: request body too large",
				"remote", r.RemoteAddr, "limit", s.maxBody)
			s.writeFault(w, &Fault{Code: CodeParseError, Message: "parse error. request too large"})
			return
		}
		s.logger.DebugContext(ctx, "xmlrpc: malformed request", "remote", r.RemoteAddr, "err", err)
		s.writeFault(w, toFault(err))
		return
	}

	s.mu.RLock()
	h, ok := s.methods[method]
	s.mu.RUnlock()
	if !ok {
		s.logger.DebugContext(ctx, "xmlrpc: unknown method", "method", method)
		s.writeFault(w, &Fault{Code: CodeMethodNotFound,
			Message: fmt.Sprintf("requested method %s not found", clip(method))})
		return
	}

	result, err := s.invoke(ctx, method, h, params)
	if err != nil {
		var f *Fault
		if errors.As(err, &f) && f != nil {
			s.logger.DebugContext(ctx, "xmlrpc: fault", "method", method, "code", f.Code, "message", f.Message)
		} else {
			s.logger.ErrorContext(ctx, "xmlrpc: method failed", "method", method, "err", err)
			f = internalFault()
		}
		s.writeFault(w, f)
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
