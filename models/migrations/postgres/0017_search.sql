-- Full-text search over posts and pages (title, excerpt, body), kept by a
-- trigger in the transaction that writes the post: a tsvector per post,
-- weighted (title A, excerpt B, body D), under a GIN index. Drafts are
-- indexed too; queries keep to published posts, so publishing or
-- unpublishing shows at once. The 'simple' configuration (no stemming)
-- matches SQLite's unicode61 tokenizer, so both databases find the same posts.
CREATE TABLE post_search (
    post_id  BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    document tsvector NOT NULL
);
CREATE INDEX post_search_document ON post_search USING GIN (document);

-- tsvector holds at most 1 MiB: the body's first 200,000 characters are
-- indexed, which is longer than any post people search.
CREATE FUNCTION post_search_document(t TEXT, e TEXT, b TEXT) RETURNS tsvector AS $$
    SELECT setweight(to_tsvector('simple', coalesce(t, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(e, '')), 'B')
        || setweight(to_tsvector('simple', left(coalesce(b, ''), 200000)), 'D')
$$ LANGUAGE sql IMMUTABLE;

INSERT INTO post_search (post_id, document) SELECT id, post_search_document(title, excerpt, body) FROM posts;

CREATE FUNCTION post_search_sync() RETURNS trigger AS $$
BEGIN
    INSERT INTO post_search (post_id, document) VALUES (NEW.id, post_search_document(NEW.title, NEW.excerpt, NEW.body))
        ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER post_search_sync AFTER INSERT OR UPDATE OF title, excerpt, body ON posts
    FOR EACH ROW EXECUTE FUNCTION post_search_sync();

-- The header menu reads published pages in menu order.
CREATE INDEX posts_menu ON posts (kind, status, menu_order);
-- Author archives list an author's published posts, newest first.
CREATE INDEX posts_author ON posts (author_id, kind, status, published_at);
