package handlers

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
)

// sitemapSize is the most addresses one sitemap may hold (sitemaps.org).
const sitemapSize = 50000

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapLoc `xml:"url"`
}

// sitemapIndex answers /sitemap.xml: an index of the archives' sitemap and
// of as many sitemaps of posts and pages as 50,000 addresses each need.
func (s *Server) sitemapIndex(c *gin.Context) {
	ctx := c.Request.Context()
	n, err := s.Reader.CountPublished(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	last, err := s.Reader.LastPublished(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	mod := ""
	if !last.IsZero() {
		mod = last.UTC().Format(time.RFC3339)
	}
	doc := sitemapIndex{Sitemaps: []sitemapLoc{{Loc: s.BaseURL + "/sitemaps/archives.xml", LastMod: mod}}}
	for i := 0; i*sitemapSize < n; i++ {
		doc.Sitemaps = append(doc.Sitemaps, sitemapLoc{Loc: fmt.Sprintf("%s/sitemaps/posts-%d.xml", s.BaseURL, i+1), LastMod: mod})
	}
	s.writeXML(c, doc)
}

// sitemap answers /sitemaps/archives.xml (home, categories, tags, months)
// and /sitemaps/posts-N.xml (the Nth 50,000 posts and pages).
func (s *Server) sitemap(c *gin.Context) {
	name := c.Param("name")
	if name == "archives.xml" {
		s.archivesSitemap(c)
		return
	}
	num, ok := strings.CutPrefix(strings.TrimSuffix(name, ".xml"), "posts-")
	n, err := strconv.Atoi(num)
	if !ok || !strings.HasSuffix(name, ".xml") || err != nil || n < 1 || n > 100000 || strconv.Itoa(n) != num {
		s.renderError(c, models.ErrNotFound)
		return
	}
	posts, err := s.Reader.PublishedAddresses(c.Request.Context(), (n-1)*sitemapSize, sitemapSize)
	if err != nil {
		s.renderError(c, err)
		return
	}
	if len(posts) == 0 {
		s.renderError(c, models.ErrNotFound)
		return
	}
	doc := urlSet{URLs: make([]sitemapLoc, len(posts))}
	for i, p := range posts {
		doc.URLs[i] = sitemapLoc{Loc: s.BaseURL + p.Path(), LastMod: p.UpdatedAt.UTC().Format(time.RFC3339)}
	}
	s.writeXML(c, doc)
}

func (s *Server) archivesSitemap(c *gin.Context) {
	ctx := c.Request.Context()
	doc := urlSet{URLs: []sitemapLoc{{Loc: s.BaseURL + "/"}}}
	cats, err := s.Reader.UsedCategories(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, cat := range cats {
		doc.URLs = append(doc.URLs, sitemapLoc{Loc: s.BaseURL + "/category/" + url.PathEscape(cat.Slug)})
	}
	tags, err := s.Reader.UsedTags(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, t := range tags {
		doc.URLs = append(doc.URLs, sitemapLoc{Loc: s.BaseURL + "/tag/" + url.PathEscape(t.Slug)})
	}
	months, err := s.months.get(ctx)
	if err != nil {
		s.renderError(c, err)
		return
	}
	for _, m := range months {
		doc.URLs = append(doc.URLs, sitemapLoc{Loc: fmt.Sprintf("%s/%04d/%02d", s.BaseURL, m.Year, m.Month)})
	}
	if len(doc.URLs) > sitemapSize { // tens of thousands of tags: the first 50,000
		doc.URLs = doc.URLs[:sitemapSize]
	}
	s.writeXML(c, doc)
}

func (s *Server) writeXML(c *gin.Context, doc any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(doc); err != nil {
		s.renderError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/xml; charset=utf-8", buf.Bytes())
}

// robots answers /robots.txt: everything may be crawled but the admin,
// the login and search results, and the sitemap is named.
func (s *Server) robots(c *gin.Context) {
	body := "User-agent: *\nDisallow: /admin/\nDisallow: /login\nDisallow: /?s=\nDisallow: /search\n\nSitemap: " +
		s.BaseURL + "/sitemap.xml\n"
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}
