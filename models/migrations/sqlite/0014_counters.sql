-- Counts kept in the same transaction as the write that changes them, by
-- triggers, so every writer (comments, pings, moderation, purges, deleted
-- posts, scheduled publishing) keeps them right and reading them is O(1).
-- feedback_counts: queue items per post, kind and status; post_id 0 holds
-- the whole blog's. post_counts: posts and pages per status. post_months:
-- published posts per month (UTC), the home page's archive list.
CREATE TABLE feedback_counts (
    post_id INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (post_id, kind, status)
) WITHOUT ROWID;
INSERT INTO feedback_counts (post_id, kind, status, n)
    SELECT post_id, kind, status, COUNT(*) FROM feedback GROUP BY post_id, kind, status;
INSERT INTO feedback_counts (post_id, kind, status, n)
    SELECT 0, kind, status, COUNT(*) FROM feedback GROUP BY kind, status;

CREATE TRIGGER feedback_counts_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_counts (post_id, kind, status, n) VALUES (NEW.post_id, NEW.kind, NEW.status, 1), (0, NEW.kind, NEW.status, 1)
        ON CONFLICT (post_id, kind, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER feedback_counts_delete AFTER DELETE ON feedback BEGIN
    UPDATE feedback_counts SET n = n - 1 WHERE post_id IN (OLD.post_id, 0) AND kind = OLD.kind AND status = OLD.status;
    DELETE FROM feedback_counts WHERE post_id = OLD.post_id AND kind = OLD.kind AND status = OLD.status AND n <= 0;
END;
CREATE TRIGGER feedback_counts_update AFTER UPDATE OF post_id, kind, status ON feedback
    WHEN OLD.post_id <> NEW.post_id OR OLD.kind <> NEW.kind OR OLD.status <> NEW.status BEGIN
    UPDATE feedback_counts SET n = n - 1 WHERE post_id IN (OLD.post_id, 0) AND kind = OLD.kind AND status = OLD.status;
    DELETE FROM feedback_counts WHERE post_id = OLD.post_id AND kind = OLD.kind AND status = OLD.status AND n <= 0;
    INSERT INTO feedback_counts (post_id, kind, status, n) VALUES (NEW.post_id, NEW.kind, NEW.status, 1), (0, NEW.kind, NEW.status, 1)
        ON CONFLICT (post_id, kind, status) DO UPDATE SET n = n + 1;
END;

CREATE TABLE post_counts (
    kind   TEXT    NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (kind, status)
) WITHOUT ROWID;
INSERT INTO post_counts (kind, status, n) SELECT kind, status, COUNT(*) FROM posts GROUP BY kind, status;

CREATE TABLE post_months (
    year  INTEGER NOT NULL,
    month INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (year, month)
) WITHOUT ROWID;
INSERT INTO post_months (year, month, n)
    SELECT CAST(strftime('%Y', published_at) AS INTEGER), CAST(strftime('%m', published_at) AS INTEGER), COUNT(*)
    FROM posts WHERE kind = 'post' AND status = 'published' AND published_at IS NOT NULL GROUP BY 1, 2;

CREATE TRIGGER post_counts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO post_counts (kind, status, n) VALUES (NEW.kind, NEW.status, 1)
        ON CONFLICT (kind, status) DO UPDATE SET n = n + 1;
    INSERT INTO post_months (year, month, n)
        SELECT CAST(strftime('%Y', NEW.published_at) AS INTEGER), CAST(strftime('%m', NEW.published_at) AS INTEGER), 1
        WHERE NEW.kind = 'post' AND NEW.status = 'published' AND NEW.published_at IS NOT NULL
        ON CONFLICT (year, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER post_counts_delete AFTER DELETE ON posts BEGIN
    UPDATE post_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status;
    UPDATE post_months SET n = n - 1
        WHERE OLD.kind = 'post' AND OLD.status = 'published' AND OLD.published_at IS NOT NULL
          AND year = CAST(strftime('%Y', OLD.published_at) AS INTEGER) AND month = CAST(strftime('%m', OLD.published_at) AS INTEGER);
    DELETE FROM post_months WHERE n <= 0;
    DELETE FROM feedback_counts WHERE post_id = OLD.id AND n <= 0;
END;
CREATE TRIGGER post_counts_update AFTER UPDATE OF kind, status, published_at ON posts
    WHEN OLD.kind <> NEW.kind OR OLD.status <> NEW.status OR OLD.published_at IS NOT NEW.published_at BEGIN
    UPDATE post_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status;
    INSERT INTO post_counts (kind, status, n) VALUES (NEW.kind, NEW.status, 1)
        ON CONFLICT (kind, status) DO UPDATE SET n = n + 1;
    UPDATE post_months SET n = n - 1
        WHERE OLD.kind = 'post' AND OLD.status = 'published' AND OLD.published_at IS NOT NULL
          AND year = CAST(strftime('%Y', OLD.published_at) AS INTEGER) AND month = CAST(strftime('%m', OLD.published_at) AS INTEGER);
    DELETE FROM post_months WHERE n <= 0;
    INSERT INTO post_months (year, month, n)
        SELECT CAST(strftime('%Y', NEW.published_at) AS INTEGER), CAST(strftime('%m', NEW.published_at) AS INTEGER), 1
        WHERE NEW.kind = 'post' AND NEW.status = 'published' AND NEW.published_at IS NOT NULL
        ON CONFLICT (year, month) DO UPDATE SET n = n + 1;
END;

-- The admin's post list, newest edit first, per kind and optionally status,
-- without sorting the whole table.
CREATE INDEX posts_admin ON posts (kind, updated_at DESC, id DESC);
CREATE INDEX posts_admin_status ON posts (kind, status, updated_at DESC, id DESC);
