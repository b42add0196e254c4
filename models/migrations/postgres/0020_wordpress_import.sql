-- What a WordPress import remembers: which local row each WordPress id
-- (or media URL) became, per source site, so a second import adds nothing
-- and /?p=N finds the post; and the old site's paths (permalinks, upload
-- URLs), which answer 301 to the post or media file they became.
CREATE TABLE import_ids (
    source   TEXT   NOT NULL,
    kind     TEXT   NOT NULL,
    key      TEXT   NOT NULL,
    local_id BIGINT NOT NULL,
    guid     TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (source, kind, key)
);
CREATE INDEX import_ids_key ON import_ids (kind, key);

CREATE TABLE path_redirects (
    path     TEXT   PRIMARY KEY,
    post_id  BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    media_id BIGINT REFERENCES media(id) ON DELETE CASCADE
);
