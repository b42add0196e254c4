package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/views"
)

// webmentionStatus shows where a received Webmention stands, at the
// unguessable address its sender got in Location: as JSON to a client that
// asks for it (Accept: application/json), as a small HTML page otherwise.
// An unknown token is a 404 either way.
func (s *Server) webmentionStatus(c *gin.Context) {
	st, err := s.intake.WebmentionStatus(c.Request.Context(), c.Param("token"))
	if err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("X-Robots-Tag", "noindex")
	c.Header("Cache-Control", "no-store")
	if c.NegotiateFormat(gin.MIMEHTML, gin.MIMEJSON) == gin.MIMEJSON {
		c.JSON(http.StatusOK, views.WebmentionStatusJSON{Status: string(st.State), Source: st.Source,
			Target: st.Target, Summary: st.Summary})
		return
	}
	l := s.layout(c, "Webmention status")
	l.NoIndex = true
	s.render(c, http.StatusOK, "webmention_status", views.WebmentionStatusPage{Layout: l, Status: string(st.State),
		Source: st.Source, Target: st.Target, Summary: st.Summary})
}
