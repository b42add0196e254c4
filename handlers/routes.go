package handlers

import (
	"github.com/gin-gonic/gin"
)

func (s *Server) routes(r *gin.Engine) {
	r.Use(s.requestLog(), s.recovery(), securityHeaders())
	r.GET("/assets/*path", gin.WrapH(s.Assets))
	r.HEAD("/assets/*path", gin.WrapH(s.Assets))

	web := r.Group("/", s.crossOrigin(), s.session())
	web.GET("/", s.home)
	web.GET("/feed", s.siteFeed)
	web.GET("/feed/atom", s.siteFeed)
	web.GET("/tag/:tag", s.tagPosts)
	web.GET("/tag/:tag/feed", s.tagFeed)
	web.GET("/tag/:tag/feed/atom", s.tagFeed)
	web.GET("/:year/:month", s.monthPosts)
	web.GET("/:year/:month/:slug", s.showPost)
	web.POST("/comments/:id", s.postComment)

	forms := web.Group("/", s.checkCSRF())
	forms.GET("/login", s.loginForm)
	forms.POST("/login", s.login)
	forms.POST("/logout", s.logout)
	forms.GET("/setup", s.setupForm)
	forms.POST("/setup", s.setup)

	admin := web.Group("/admin", s.requireUser(), s.checkCSRF())
	admin.GET("", s.dashboard)
	admin.GET("/posts", s.adminPosts)
	admin.GET("/posts/new", s.newPost)
	admin.POST("/posts", s.savePost)
	admin.GET("/posts/:id/edit", s.editPost)
	admin.POST("/posts/:id", s.savePost)
	admin.POST("/posts/:id/delete", s.deletePost)
	admin.GET("/posts/:id/notifications", s.postNotifications)
	admin.POST("/notifications/:id/retry", s.retryNotification)
	admin.POST("/preview", s.preview)
	admin.GET("/queue", s.queue)
	admin.POST("/queue", s.moderate)
	admin.GET("/settings", s.settingsForm)
	admin.POST("/settings", s.saveSettings)

	r.NoRoute(s.crossOrigin(), s.session(), s.pageOrNotFound)
}
