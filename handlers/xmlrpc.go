package handlers

import (
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
