-- Bumped on logout and on a password change: sessions carrying an older
-- generation are no longer accepted, so a copied cookie dies with them.
ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
