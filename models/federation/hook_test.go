package federation

import (
	"github.com/crosstalk/crosstalk/models"
	"github.com/crosstalk/crosstalk/models/posts"
)

func postsOp(deleted bool) posts.Op {
	if deleted {
		return posts.Deleted
	}
	return posts.Updated
}

func change(op posts.Op, p models.Post) posts.Change { return posts.Change{Op: op, Post: p} }
