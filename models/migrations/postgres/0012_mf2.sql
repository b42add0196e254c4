-- Microformats2: what a verified Webmention's source says of itself (the
-- h-entry's author, its date and its response type), and the author's
-- avatar, stored here (never linked remotely) and deleted with the mention.
ALTER TABLE feedback ADD COLUMN response_type TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN author_url TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN author_photo TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN source_published_at TIMESTAMPTZ;
ALTER TABLE feedback ADD COLUMN avatar_sha256 TEXT NOT NULL DEFAULT '';
CREATE TABLE avatars (
    feedback_id BIGINT      NOT NULL PRIMARY KEY REFERENCES feedback(id) ON DELETE CASCADE,
    mime        TEXT        NOT NULL,
    size        BIGINT      NOT NULL,
    sha256      TEXT        NOT NULL,
    data        BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
