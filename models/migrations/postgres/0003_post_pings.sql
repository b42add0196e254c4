-- What the writer asked to notify: TrackBack URLs to ping directly ("Send
-- TrackBacks to", one per line) and links in the post to leave out.
ALTER TABLE posts ADD COLUMN ping_urls TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN skip_links TEXT NOT NULL DEFAULT '';
