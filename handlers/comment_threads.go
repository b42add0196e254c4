package handlers

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/views"
)

// threadBuilder nests one page of comments into threads.
type threadBuilder struct {
	s        *Server
	site     models.Site
	path     string
	page     int
	open     bool
	children map[int64][]*models.Feedback
}

// buildThreads nests replies under their parents, WordPress's way: replies
// oldest first, and replies deeper than the site's thread depth (stored
// before it was lowered) shown at the deepest level, after their ancestor.
// A reader's own held comment (pending, may be nil) is placed where it
// will appear once approved.
func (s *Server) buildThreads(site models.Site, path string, page int, open bool, roots, replies []models.Feedback,
	pending *models.Feedback) []views.CommentNode {
	b := threadBuilder{s: s, site: site, path: path, page: page, open: open, children: map[int64][]*models.Feedback{}}
	shown := map[int64]bool{}
	heads := make([]*models.Feedback, 0, len(roots)+1)
	for i := range roots {
		heads = append(heads, &roots[i])
		shown[roots[i].ID] = true
	}
	for i := range replies {
		shown[replies[i].ID] = true
	}
	for i := range replies {
		r := &replies[i]
		if r.ParentID != nil && shown[*r.ParentID] {
			b.children[*r.ParentID] = append(b.children[*r.ParentID], r)
		}
	}
	switch {
	case pending == nil:
	case pending.ParentID != nil && shown[*pending.ParentID]:
		b.children[*pending.ParentID] = append(b.children[*pending.ParentID], pending)
	case site.NewestFirst:
		heads = slices.Insert(heads, 0, pending)
	default:
		heads = append(heads, pending)
	}
	return b.nodes(heads, 1, pending)
}

func (b *threadBuilder) nodes(items []*models.Feedback, depth int, pending *models.Feedback) []views.CommentNode {
	out := make([]views.CommentNode, 0, len(items))
	for _, f := range items {
		n := b.node(f, depth, pending)
		if b.open && depth < b.site.ThreadDepth && !n.Pending {
			n.ReplyURL = commentPageURL(b.path, b.page, "replytocom="+strconv.FormatInt(f.ID, 10)) + "#respond"
		}
		if depth < b.site.ThreadDepth {
			n.Children = b.nodes(b.children[f.ID], depth+1, pending)
			out = append(out, n)
			continue
		}
		out = append(out, n)
		var below []*models.Feedback
		b.descendants(f.ID, &below)
		slices.SortFunc(below, func(x, y *models.Feedback) int { return cmp.Compare(x.ID, y.ID) })
		for _, d := range below {
			out = append(out, b.node(d, depth, pending))
		}
	}
	return out
}

// node is one comment without its replies.
func (b *threadBuilder) node(f *models.Feedback, depth int, pending *models.Feedback) views.CommentNode {
	id := strconv.FormatInt(f.ID, 10)
	return views.CommentNode{Feedback: f, Depth: depth, AvatarURL: b.s.commentAvatar(b.site, f), Pending: f == pending,
		Permalink: commentPageURL(b.s.BaseURL+b.path, b.page, "") + "#comment-" + id}
}

func (b *threadBuilder) descendants(id int64, into *[]*models.Feedback) {
	for _, c := range b.children[id] {
		*into = append(*into, c)
		b.descendants(c.ID, into)
	}
}
