package handlers

import (
	"github.com/gin-gonic/gin"

	"github.com/crosstalk/crosstalk/models"
)

// adminCaps says what each admin route needs, by method and path as gin
// registers them. It is the one list of route permissions: the authorize
// middleware reads it, and a test walks every admin route of the engine
// against it, so a new route that nobody classified fails that test (and,
// until it is classified, only administrators reach it). Routes on one post
// need CapEditPosts here; whose post it is, is checked with the post
// (User.CanEditPost), since a contributor may open their own drafts only.
var adminCaps = map[string]models.Capability{
	"GET /admin":                                     models.CapEditPosts,
	"GET /admin/posts":                               models.CapEditPosts,
	"GET /admin/posts/new":                           models.CapEditPosts,
	"POST /admin/posts":                              models.CapEditPosts,
	"POST /admin/posts/autosave":                     models.CapEditPosts,
	"POST /admin/posts/:id/autosave":                 models.CapEditPosts,
	"GET /admin/posts/:id/edit":                      models.CapEditPosts,
	"POST /admin/posts/:id":                          models.CapEditPosts,
	"GET /admin/posts/:id/delete":                    models.CapEditPosts,
	"POST /admin/posts/:id/delete":                   models.CapEditPosts,
	"POST /admin/posts/:id/restore":                  models.CapEditPosts,
	"GET /admin/posts/:id/purge":                     models.CapEditPosts,
	"POST /admin/posts/:id/purge":                    models.CapEditPosts,
	"POST /admin/posts/:id/preview":                  models.CapEditPosts,
	"GET /admin/posts/:id/preview":                   models.CapEditPosts,
	"GET /admin/posts/:id/revisions":                 models.CapEditPosts,
	"GET /admin/posts/:id/revisions/:rev":            models.CapEditPosts,
	"POST /admin/posts/:id/revisions/:rev":           models.CapEditPosts,
	"GET /admin/posts/:id/notifications":             models.CapEditPosts,
	"POST /admin/notifications/:id/retry":            models.CapPublishPosts,
	"POST /admin/preview":                            models.CapEditPosts,
	"GET /admin/queue":                               models.CapModerate,
	"POST /admin/queue":                              models.CapModerate,
	"GET /admin/settings":                            models.CapManageOptions,
	"POST /admin/settings":                           models.CapManageOptions,
	"POST /admin/settings/email":                     models.CapManageOptions, // the mail server and its password
	"POST /admin/settings/email/test":                models.CapManageOptions,
	"GET /admin/followers":                           models.CapManageOptions, // the blog's fediverse audience
	"POST /admin/followers/:id/:action":              models.CapManageOptions,
	"GET /admin/media":                               models.CapUploadFiles,
	"POST /admin/media":                              models.CapUploadFiles,
	"POST /admin/media/:id/delete":                   models.CapModerate,
	"GET /admin/app-passwords":                       models.CapEditPosts,
	"POST /admin/app-passwords":                      models.CapEditPosts,
	"POST /admin/app-passwords/:id/revoke":           models.CapEditPosts,
	"GET /admin/profile":                             models.CapEditPosts,
	"POST /admin/profile":                            models.CapEditPosts,
	"POST /admin/profile/password":                   models.CapEditPosts,
	"GET /admin/users":                               models.CapManageUsers,
	"POST /admin/users":                              models.CapManageUsers,
	"GET /admin/users/:id":                           models.CapManageUsers,
	"POST /admin/users/:id":                          models.CapManageUsers,
	"POST /admin/users/:id/delete":                   models.CapManageUsers,
	"POST /admin/users/:id/reset-link":               models.CapManageUsers,
	"POST /admin/users/:id/app-passwords/:ap/revoke": models.CapManageUsers,
}

// routeCap is what the route needs; one not in adminCaps needs everything
// an administrator has, so a forgotten route is closed rather than open.
func routeCap(method, path string) models.Capability {
	if c, ok := adminCaps[method+" "+path]; ok {
		return c
	}
	if method == "HEAD" {
		if c, ok := adminCaps["GET "+path]; ok {
			return c
		}
	}
	return models.CapManageUsers
}

// authorize lets the logged-in user through to routes their role may use
// (after requireUser); others get 403.
func (s *Server) authorize() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !userOf(c).Can(routeCap(c.Request.Method, c.FullPath())) {
			c.Abort()
			s.renderError(c, models.ErrForbidden)
			return
		}
		c.Next()
	}
}

// writerRoutes are the trash, revisions, previews, users and profiles.
func (s *Server) writerRoutes(admin gin.IRoutes) {
	admin.POST("/posts/:id/restore", s.restorePost)
	admin.GET("/posts/:id/purge", s.confirmPurge)
	admin.POST("/posts/:id/purge", s.purgePost)
	admin.GET("/posts/:id/preview", s.previewPost)
	admin.POST("/posts/:id/preview", s.sharePreview)
	admin.GET("/posts/:id/revisions", s.revisionsPage)
	admin.GET("/posts/:id/revisions/:rev", s.revisionsPage)
	admin.POST("/posts/:id/revisions/:rev", s.restoreRevision)
	admin.GET("/profile", s.profilePage)
	admin.POST("/profile", s.saveProfile)
	admin.POST("/profile/password", s.changePassword)
	admin.GET("/users", s.usersPage)
	admin.POST("/users", s.addUser)
	admin.GET("/users/:id", s.userPage)
	admin.POST("/users/:id", s.saveUser)
	admin.POST("/users/:id/delete", s.deleteUser)
	admin.POST("/users/:id/reset-link", s.userResetLink)
	admin.POST("/users/:id/app-passwords/:ap/revoke", s.revokeUsersAppPassword)
}
