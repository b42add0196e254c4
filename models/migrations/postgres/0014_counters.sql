-- Counts kept in the same transaction as the write that changes them, by
-- triggers, so every writer (comments, pings, moderation, purges, deleted
-- posts, scheduled publishing) keeps them right and reading them is O(1).
-- feedback_counts: queue items per post, kind and status; post_id 0 holds
-- the whole blog's. post_counts: posts and pages per status. post_months:
-- published posts per month (UTC), the home page's archive list.
CREATE TABLE feedback_counts (
    post_id BIGINT  NOT NULL,
    kind    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    n       BIGINT  NOT NULL,
    PRIMARY KEY (post_id, kind, status)
);
INSERT INTO feedback_counts (post_id, kind, status, n)
    SELECT post_id, kind, status, COUNT(*) FROM feedback GROUP BY post_id, kind, status;
INSERT INTO feedback_counts (post_id, kind, status, n)
    SELECT 0, kind, status, COUNT(*) FROM feedback GROUP BY kind, status;

CREATE FUNCTION feedback_counts_bump(p BIGINT, k TEXT, s TEXT, d INTEGER) RETURNS void AS $$
BEGIN
    -- The blog-wide row first, then the post's: one order for every writer.
    INSERT INTO feedback_counts AS c (post_id, kind, status, n) VALUES (0, k, s, d)
        ON CONFLICT (post_id, kind, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    INSERT INTO feedback_counts AS c (post_id, kind, status, n) VALUES (p, k, s, d)
        ON CONFLICT (post_id, kind, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    DELETE FROM feedback_counts WHERE post_id = p AND kind = k AND status = s AND n <= 0;
END $$ LANGUAGE plpgsql;

CREATE TABLE post_counts (
    kind   TEXT   NOT NULL,
    status TEXT   NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (kind, status)
);
INSERT INTO post_counts (kind, status, n) SELECT kind, status, COUNT(*) FROM posts GROUP BY kind, status;

CREATE TABLE post_months (
    year  INTEGER NOT NULL,
    month INTEGER NOT NULL,
    n     BIGINT  NOT NULL,
    PRIMARY KEY (year, month)
);
INSERT INTO post_months (year, month, n)
    SELECT CAST(EXTRACT(YEAR FROM published_at AT TIME ZONE 'UTC') AS INTEGER),
           CAST(EXTRACT(MONTH FROM published_at AT TIME ZONE 'UTC') AS INTEGER), COUNT(*)
    FROM posts WHERE kind = 'post' AND status = 'published' AND published_at IS NOT NULL GROUP BY 1, 2;

CREATE FUNCTION post_counts_bump(k TEXT, s TEXT, at TIMESTAMPTZ, d INTEGER) RETURNS void AS $$
DECLARE
    y INTEGER := CAST(EXTRACT(YEAR FROM at AT TIME ZONE 'UTC') AS INTEGER);
    m INTEGER := CAST(EXTRACT(MONTH FROM at AT TIME ZONE 'UTC') AS INTEGER);
BEGIN
    INSERT INTO post_counts AS c (kind, status, n) VALUES (k, s, d)
        ON CONFLICT (kind, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    IF k = 'post' AND s = 'published' AND at IS NOT NULL THEN
        INSERT INTO post_months AS c (year, month, n) VALUES (y, m, d)
            ON CONFLICT (year, month) DO UPDATE SET n = c.n + EXCLUDED.n;
        DELETE FROM post_months WHERE year = y AND month = m AND n <= 0;
    END IF;
END $$ LANGUAGE plpgsql;

-- One trigger function for both tables: a row leaving counts -1 where it
-- was, a row arriving +1 where it is.
CREATE FUNCTION counts_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'feedback' THEN
        IF TG_OP <> 'INSERT' THEN PERFORM feedback_counts_bump(OLD.post_id, OLD.kind, OLD.status, -1); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM feedback_counts_bump(NEW.post_id, NEW.kind, NEW.status, 1); END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN PERFORM post_counts_bump(OLD.kind, OLD.status, OLD.published_at, -1); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM post_counts_bump(NEW.kind, NEW.status, NEW.published_at, 1); END IF;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER feedback_counts_insert AFTER INSERT OR DELETE ON feedback
    FOR EACH ROW EXECUTE FUNCTION counts_trigger();
CREATE TRIGGER feedback_counts_update AFTER UPDATE OF post_id, kind, status ON feedback
    FOR EACH ROW WHEN (OLD.post_id <> NEW.post_id OR OLD.kind <> NEW.kind OR OLD.status <> NEW.status)
    EXECUTE FUNCTION counts_trigger();

CREATE TRIGGER post_counts_insert AFTER INSERT OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION counts_trigger();
CREATE TRIGGER post_counts_update AFTER UPDATE OF kind, status, published_at ON posts
    FOR EACH ROW WHEN (OLD.kind <> NEW.kind OR OLD.status <> NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION counts_trigger();

-- The admin's post list, newest edit first, per kind and optionally status,
-- without sorting the whole table.
CREATE INDEX posts_admin ON posts (kind, updated_at DESC, id DESC);
CREATE INDEX posts_admin_status ON posts (kind, status, updated_at DESC, id DESC);
