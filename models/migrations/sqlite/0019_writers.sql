-- Writers: a revision kept at every save of a post (list, diff, restore)
-- and shareable preview links of drafts;
-- one-time password reset tokens (only their SHA-256 is stored, with an
-- expiry; a use deletes the row); and the mail outbox, so emails
-- (moderation notices, reply notices) are sent by a worker from durable
-- rows and survive a restart, never inline in a request.
CREATE TABLE post_revisions (
    id         INTEGER  PRIMARY KEY AUTOINCREMENT,
    post_id    INTEGER  NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    author_id  INTEGER  NOT NULL REFERENCES users(id),
    title      TEXT     NOT NULL,
    body       TEXT     NOT NULL,
    excerpt    TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (post_id, id);

CREATE TABLE password_resets (
    token_hash TEXT     PRIMARY KEY,
    user_id    INTEGER  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE mail_outbox (
    id         INTEGER  PRIMARY KEY AUTOINCREMENT,
    to_addr    TEXT     NOT NULL,
    subject    TEXT     NOT NULL,
    body       TEXT     NOT NULL,
    attempts   INTEGER  NOT NULL DEFAULT 0,
    next_at    DATETIME NOT NULL,
    sent_at    DATETIME,
    last_error TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE sent_at IS NULL;

-- A shareable preview link of an unpublished post: only the SHA-256 of
-- its random token is kept; making a new link replaces the old one.
CREATE TABLE post_previews (
    post_id    INTEGER  PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    token_hash TEXT     NOT NULL UNIQUE,
    created_at DATETIME NOT NULL
);
