package handlers

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/handlers/xmlrpcapi"
)

// xmlrpcEndpoint mounts the XML-RPC API (package xmlrpcapi) on /xmlrpc. It
// sits outside the session and cross-origin middleware: clients are not
// browsers and authenticate every call with a password. The client's
// address goes along for the rate limits.
func (s *Server) xmlrpcEndpoint(c *gin.Context) {
	ctx := xmlrpcapi.WithClientIP(c.Request.Context(), c.ClientIP())
	s.rpc.ServeHTTP(c.Writer, c.Request.WithContext(ctx))
}

// loginLimits are the web login's allowances per address and per account,
// which XML-RPC logins share.
type loginLimits struct{ ip, user *limiter }

func (l loginLimits) LoginAllowed(ip, login string) (bool, time.Duration) {
	ok, wait := l.ip.peek(clientKey(ip))
	if ok {
		ok, wait = l.user.peek(strings.ToLower(login))
	}
	return ok, wait
}

func (l loginLimits) LoginFailed(ip, login string) {
	l.ip.spend(clientKey(ip))
	l.user.spend(strings.ToLower(login))
}
