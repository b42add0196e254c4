-- Core blog schema: users, posts and pages, tags, renamed slugs, settings.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT     NOT NULL UNIQUE,
    email         TEXT     NOT NULL,
    password_hash TEXT     NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT     NOT NULL DEFAULT 'post',
    author_id      INTEGER  NOT NULL REFERENCES users(id),
    title          TEXT     NOT NULL,
    slug           TEXT     NOT NULL UNIQUE,
    body           TEXT     NOT NULL DEFAULT '',
    body_html      TEXT     NOT NULL DEFAULT '',
    excerpt        TEXT     NOT NULL DEFAULT '',
    status         TEXT     NOT NULL DEFAULT 'draft',
    allow_comments BOOLEAN  NOT NULL DEFAULT TRUE,
    allow_pings    BOOLEAN  NOT NULL DEFAULT TRUE,
    published_at   DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX posts_public ON posts (kind, status, published_at DESC, id DESC);
CREATE INDEX posts_updated ON posts (updated_at DESC);

CREATE TABLE slug_redirects (
    old_slug TEXT    PRIMARY KEY,
    post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    tag_id  INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_tag ON post_tags (tag_id, post_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
