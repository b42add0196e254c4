package handlers

import (
	"github.com/gin-gonic/gin"
)

// maxFormBody caps every browser form post.
const maxFormBody = 4 << 20

func (s *Server) routes(r *gin.Engine) {
	r.Use(s.requestLog())
	if s.Metrics != nil {
		r.Use(s.Metrics.observe) // outside recovery: a panic counts as the 500 it becomes
	}
	r.Use(s.recovery(), securityHeaders())
	s.opsRoutes(r)
	getOrHead(r, "/assets/*path", gin.WrapH(s.Assets))
	// Remote publishing: clients are not browsers, so no session or
	// cross-origin check; every call carries its own password.
	r.POST("/xmlrpc", s.xmlrpcEndpoint)
	r.GET("/xmlrpc", s.xmlrpcEndpoint) // answers that only POST is served
	getOrHead(r, "/rsd.xml", gin.WrapF(s.rpc.RSD))
	getOrHead(r, "/media/:id/:name", s.serveMedia)
	getOrHead(r, "/avatars/:id/:hash", s.serveAvatar)
	getOrHead(r, "/identicons/:file", s.serveIdenticon)

	// Linkback endpoints are cross-site by design: no session, no CSRF token;
	// rate limits, a body cap and moderation defend them instead.
	r.POST("/trackback/:id", s.trackbackPing)
	getOrHead(r, "/trackback/:id", s.trackbackGet)
	r.POST("/webmention", s.webmention)
	s.fediverseRoutes(r)

	// Forms are small: the editor's 1 MiB of text plus its fields.
	web := r.Group("/", s.crossOrigin(), s.limitBody(maxFormBody), s.session())
	// Public pages: anonymous readers are answered from the page cache.
	lists, post := s.cachePages(true), s.cachePages(false)
	getOrHead(web, "/", lists, s.home)
	getOrHead(web, "/feed", lists, s.siteFeed)
	getOrHead(web, "/feed/atom", lists, s.siteFeed)
	getOrHead(web, "/tag/:tag", lists, s.tagPosts)
	getOrHead(web, "/tag/:tag/feed", lists, s.tagFeed)
	getOrHead(web, "/tag/:tag/feed/atom", lists, s.tagFeed)
	s.readerRoutes(web, lists)
	getOrHead(web, "/:year/:month", lists, s.monthPosts)
	getOrHead(web, "/:year/:month/:slug", s.postObject, post, s.showPost)
	getOrHead(web, "/webmention/status/:token", s.webmentionStatus)
	web.POST("/comments/:id", s.postComment)
	web.POST("/postpass/:id", s.postPassword)

	forms := web.Group("/", s.checkCSRF())
	forms.GET("/login", s.loginForm)
	forms.POST("/login", s.login)
	forms.POST("/logout", s.logout)
	forms.GET("/setup", s.setupForm)
	forms.POST("/setup", s.setup)
	s.resetRoutes(forms)

	admin := web.Group("/admin", noStore(), s.requireUser(), s.authorize(), s.checkCSRF())
	admin.GET("", s.dashboard)
	admin.GET("/posts", s.adminPosts)
	admin.GET("/posts/new", s.newPost)
	admin.POST("/posts", s.savePost)
	admin.POST("/posts/autosave", s.autosave)
	admin.POST("/posts/:id/autosave", s.autosave)
	admin.GET("/posts/:id/edit", s.editPost)
	admin.POST("/posts/:id", s.savePost)
	admin.GET("/posts/:id/delete", s.confirmDelete)
	admin.POST("/posts/:id/delete", s.deletePost)
	admin.GET("/posts/:id/notifications", s.postNotifications)
	admin.POST("/notifications/:id/retry", s.retryNotification)
	admin.POST("/preview", s.preview)
	admin.GET("/queue", s.queue)
	admin.POST("/queue", s.moderate)
	admin.GET("/settings", s.settingsForm)
	admin.POST("/settings", s.saveSettings)
	admin.POST("/settings/email", s.saveEmailSettings)
	admin.POST("/settings/email/test", s.sendTestEmail)
	admin.GET("/media", s.mediaPage)
	admin.POST("/media/:id/delete", s.deleteMedia)
	admin.GET("/app-passwords", s.appPasswordsPage)
	admin.POST("/app-passwords", s.createAppPassword)
	admin.POST("/app-passwords/:id/revoke", s.revokeAppPassword)
	s.writerRoutes(admin)
	admin.GET("/followers", s.followersPage)
	admin.POST("/followers/:id/:action", s.dropFollower)
	// Uploads are larger than forms: their own cap, checked before the CSRF
	// check reads the form.
	uploads := r.Group("/", s.crossOrigin(), s.session())
	uploads.POST("/admin/media", s.requireUser(), s.authorize(), s.limitUpload(), s.checkCSRF(), s.uploadMedia)

	r.NoRoute(s.crossOrigin(), s.session(), post, s.pageOrNotFound) // pages at /slug
}

// getOrHead serves HEAD like GET (net/http drops the body): monitors, link
// checkers and feed readers use it.
func getOrHead(r gin.IRoutes, path string, h ...gin.HandlerFunc) {
	r.GET(path, h...)
	r.HEAD(path, h...)
}
