-- Resized copies of uploaded images (480, 960, 1600 px wide; only those
-- narrower than the original), served for srcset. The original's size is
-- kept so the Markdown renderer can write width and height.
ALTER TABLE media ADD COLUMN width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN height INTEGER NOT NULL DEFAULT 0;
CREATE TABLE media_variants (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width    INTEGER NOT NULL,
    height   INTEGER NOT NULL,
    mime     TEXT    NOT NULL,
    size     INTEGER NOT NULL,
    data     BLOB    NOT NULL,
    PRIMARY KEY (media_id, width)
);

-- An editor form that could not be saved, kept for a day under an
-- unguessable token so the page after the failed save is a GET (a reload
-- resubmits nothing) that still shows the writer's text.
CREATE TABLE editor_stashes (
    token      TEXT     PRIMARY KEY,
    user_id    INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    form       TEXT     NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX editor_stashes_created ON editor_stashes (created_at);
