-- A page of comment threads walks down from each thread's head to its
-- shown replies (models.CommentThreads): one index step per comment, by
-- parent, status and post together. The single-column index of 0015 is a
-- prefix of this one.
DROP INDEX feedback_parent;
CREATE INDEX feedback_replies ON feedback (parent_id, status, post_id) WHERE parent_id IS NOT NULL;
