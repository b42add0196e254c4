package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// maxSearchLen bounds what of a query is read.
const maxSearchLen = 200

// search shows one page of the published posts and pages matching q, best
// first, with the matched words highlighted (GET /?s=words&page=N). The page
// cache does not keep search pages: every query is a different address, so
// caching them would let anyone push the readers' pages out of the cache
// with made-up queries, while the indexed search itself costs a few
// milliseconds. A page past the last is not found; search pages ask search
// engines not to index them, as WordPress does.
func (s *Server) search(c *gin.Context, q string) {
	q = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q))
	if len(q) > maxSearchLen {
		q = strings.ToValidUTF8(q[:maxSearchLen], "")
	}
	title := "Search"
	if q != "" {
		title = "Search results for “" + q + "”"
	}
	l := s.layout(c, title)
	l.NoIndex, l.Search = true, q
	page := pageNumber(c)
	per := l.Site.PostsPerPage
	res, err := s.Reader.Search(c.Request.Context(), models.ParseSearch(q), (page-1)*per, per)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if page > 1 && len(res.Hits) == 0 {
		s.renderError(c, models.ErrNotFound)
		return
	}
	data := views.SearchPage{Layout: l, Query: q, Total: res.Total, Page: page}
	for _, h := range res.Hits {
		data.Hits = append(data.Hits, views.SearchHit{Post: h.Post, Snippet: views.Highlight(h.Snippet)})
	}
	base := "/?s=" + url.QueryEscape(q)
	if page*per < res.Total {
		data.NextURL = fmt.Sprintf("%s&page=%d", base, page+1)
	}
	switch {
	case page == 2:
		data.PrevURL = base
	case page > 2:
		data.PrevURL = fmt.Sprintf("%s&page=%d", base, page-1)
	}
	c.Header("Cache-Control", "no-cache")
	s.render(c, http.StatusOK, "search", data)
}

// searchAlias answers /search?q=words with WordPress's address for it.
func (s *Server) searchAlias(c *gin.Context) {
	c.Redirect(http.StatusMovedPermanently, "/?s="+url.QueryEscape(c.Query("q")))
}
