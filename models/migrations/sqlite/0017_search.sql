-- Full-text search over posts and pages (title, excerpt, body), kept by
-- triggers in the transaction that writes the post. Drafts are indexed too;
-- queries keep to published posts, so publishing or unpublishing shows at once.
--
-- FTS4, not FTS5: the mattn/go-sqlite3 driver compiles FTS3/FTS4 in by
-- default but FTS5 only with the sqlite_fts5 build tag, which every go build,
-- go test and go run of the project would then need (a build without it
-- would fail to open the database). FTS4 has what search needs: an
-- external-content table (no second copy of the text), snippet() and
-- matchinfo() for ranking (computed in Go, see models/search_store.go).
CREATE VIRTUAL TABLE post_search USING fts4(content="posts", title, excerpt, body,
    tokenize=unicode61 "remove_diacritics=2");
INSERT INTO post_search (docid, title, excerpt, body) SELECT id, title, excerpt, body FROM posts;

-- An external-content FTS4 table reads the old text from posts to remove
-- it, so removal runs before the row changes and the new text goes in after.
CREATE TRIGGER post_search_before_update BEFORE UPDATE OF title, excerpt, body ON posts BEGIN
    DELETE FROM post_search WHERE docid = OLD.id;
END;
CREATE TRIGGER post_search_before_delete BEFORE DELETE ON posts BEGIN
    DELETE FROM post_search WHERE docid = OLD.id;
END;
CREATE TRIGGER post_search_after_update AFTER UPDATE OF title, excerpt, body ON posts BEGIN
    INSERT INTO post_search (docid, title, excerpt, body) VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body);
END;
CREATE TRIGGER post_search_after_insert AFTER INSERT ON posts BEGIN
    INSERT INTO post_search (docid, title, excerpt, body) VALUES (NEW.id, NEW.title, NEW.excerpt, NEW.body);
END;

-- The header menu reads published pages in menu order.
CREATE INDEX posts_menu ON posts (kind, status, menu_order);
-- Author archives list an author's published posts, newest first.
CREATE INDEX posts_author ON posts (author_id, kind, status, published_at);
