-- One moderation queue for comments, TrackBacks, Pingbacks and Webmentions.
CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id      INTEGER  NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    kind         TEXT     NOT NULL,
    status       TEXT     NOT NULL DEFAULT 'pending',
    author_name  TEXT     NOT NULL DEFAULT '',
    author_email TEXT     NOT NULL DEFAULT '',
    source_url   TEXT     NOT NULL DEFAULT '',
    title        TEXT     NOT NULL DEFAULT '',
    content      TEXT     NOT NULL DEFAULT '',
    ip           TEXT     NOT NULL DEFAULT '',
    user_agent   TEXT     NOT NULL DEFAULT '',
    verification TEXT     NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
-- A linkback from the same source to the same post is stored once.
CREATE UNIQUE INDEX feedback_linkback_once ON feedback (post_id, kind, source_url) WHERE kind <> 'comment';
CREATE INDEX feedback_queue ON feedback (status, id DESC);
CREATE INDEX feedback_queue_kind ON feedback (status, kind, id DESC);
CREATE INDEX feedback_post ON feedback (post_id, status, id);
