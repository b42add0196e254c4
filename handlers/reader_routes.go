package handlers

import "github.com/gin-gonic/gin"

// readerRoutes are the reader-facing pages beside the home page, posts,
// tags and months: category and author archives and their feeds, search,
// the JSON Feed, the sitemap, robots.txt and the site icon. Everything
// but search is a list page for the page cache: any post write drops it.
func (s *Server) readerRoutes(web gin.IRoutes, lists gin.HandlerFunc) {
	getOrHead(web, "/category/:slug", lists, s.categoryPosts)
	getOrHead(web, "/category/:slug/feed", lists, s.categoryFeed)
	getOrHead(web, "/category/:slug/feed/atom", lists, s.categoryFeed)
	getOrHead(web, "/author/:name", lists, s.authorPosts)
	getOrHead(web, "/author/:name/feed", lists, s.authorFeed)
	getOrHead(web, "/author/:name/feed/atom", lists, s.authorFeed)
	getOrHead(web, "/search", s.searchAlias)
	getOrHead(web, "/feed.json", lists, s.siteFeed)
	getOrHead(web, "/sitemap.xml", lists, s.sitemapIndex)
	getOrHead(web, "/sitemaps/:name", lists, s.sitemap)
	getOrHead(web, "/robots.txt", s.robots)
	getOrHead(web, "/favicon.ico", s.favicon())
}
