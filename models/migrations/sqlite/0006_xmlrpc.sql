-- Remote publishing over XML-RPC: application passwords that desktop and
-- mobile editors log in with, and uploaded media, kept in the database so the
-- whole blog stays one file to back up.
CREATE TABLE app_passwords (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT     NOT NULL,
    -- hex SHA-256 of the token: the token is random with full entropy, so a
    -- fast hash is enough and lets a login find its row by index.
    hash         TEXT     NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);
CREATE INDEX app_passwords_user ON app_passwords (user_id, id);

CREATE TABLE media (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT     NOT NULL,
    mime       TEXT     NOT NULL,
    size       INTEGER  NOT NULL,
    sha256     TEXT     NOT NULL,
    data       BLOB     NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX media_sha256 ON media (sha256);
