-- The outbox: one row per site a published post notifies (a link in its text,
-- or a "Send TrackBacks to" URL), written in the transaction that publishes
-- the post and worked through in the background.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id         INTEGER  NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    -- the link in the post, or the TrackBack URL to ping when direct
    target_url      TEXT     NOT NULL,
    direct          BOOLEAN  NOT NULL DEFAULT FALSE,
    -- '' until discovery, then trackback, pingback or webmention
    protocol        TEXT     NOT NULL DEFAULT '',
    endpoint        TEXT     NOT NULL DEFAULT '',
    state           TEXT     NOT NULL DEFAULT 'queued',
    -- how many times a worker took it; also fences a worker whose lease ran out
    attempts        INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    -- while a worker holds it: after this time another worker may take it
    locked_until    DATETIME,
    last_message    TEXT     NOT NULL DEFAULT '',
    sent_at         DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
-- At most one notification, so at most one TrackBack, per post and target.
CREATE UNIQUE INDEX notifications_once ON notifications (post_id, target_url);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
