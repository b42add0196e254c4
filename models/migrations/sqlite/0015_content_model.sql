-- The content model WordPress users bring with them: roles and display
-- names for users; page hierarchy, menu placement, post passwords, the
-- trash, featured images and a per-post "do not federate" for posts;
-- nested categories; threaded comments. Columns only: the features that
-- use them (import, menus, trash, federation) come with their own code.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'administrator';
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';

ALTER TABLE posts ADD COLUMN parent_id INTEGER REFERENCES posts(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN menu_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN hide_from_menu BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE posts ADD COLUMN password TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN trashed_at DATETIME;
ALTER TABLE posts ADD COLUMN status_before_trash TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN no_federate BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE posts ADD COLUMN featured_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL;
CREATE INDEX posts_parent ON posts (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX posts_trashed ON posts (trashed_at) WHERE trashed_at IS NOT NULL;

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    description TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE post_categories (
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, category_id)
);
CREATE INDEX post_categories_category ON post_categories (category_id, post_id);

ALTER TABLE feedback ADD COLUMN parent_id INTEGER REFERENCES feedback(id) ON DELETE SET NULL;
ALTER TABLE feedback ADD COLUMN notify_replies BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX feedback_parent ON feedback (parent_id) WHERE parent_id IS NOT NULL;
