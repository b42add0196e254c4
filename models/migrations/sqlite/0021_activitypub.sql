-- ActivityPub: the blog and its writers as fediverse actors.
-- Each local actor's key pair, made on first use ("blog", "users/LOGIN").
CREATE TABLE ap_keys (
    local_actor     TEXT     PRIMARY KEY,
    private_key_pem TEXT     NOT NULL,
    public_key_pem  TEXT     NOT NULL,
    created_at      DATETIME NOT NULL
);
-- Remote actors following a local one. A blocked row stays, so the actor's
-- next Follow is refused.
CREATE TABLE ap_followers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    local_actor  TEXT     NOT NULL,
    actor_id     TEXT     NOT NULL,
    inbox        TEXT     NOT NULL,
    shared_inbox TEXT     NOT NULL DEFAULT '',
    follow_id    TEXT     NOT NULL DEFAULT '',
    state        TEXT     NOT NULL DEFAULT 'accepted',
    blocked      BOOLEAN  NOT NULL DEFAULT FALSE,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX ap_followers_once ON ap_followers (local_actor, actor_id);
-- Remote actors seen (signers, followers, repliers): their keys and faces.
CREATE TABLE ap_remote_actors (
    id             TEXT     PRIMARY KEY,
    key_id         TEXT     NOT NULL,
    username       TEXT     NOT NULL DEFAULT '',
    name           TEXT     NOT NULL DEFAULT '',
    inbox          TEXT     NOT NULL,
    shared_inbox   TEXT     NOT NULL DEFAULT '',
    public_key_pem TEXT     NOT NULL,
    icon_url       TEXT     NOT NULL DEFAULT '',
    url            TEXT     NOT NULL DEFAULT '',
    fetched_at     DATETIME NOT NULL
);
CREATE INDEX ap_remote_actors_key ON ap_remote_actors (key_id);
-- Remote replies, likes and boosts, mapped to their feedback rows so that
-- Update, Delete and Undo from their author find them. One like and one
-- boost per actor and post.
CREATE TABLE ap_objects (
    remote_id   TEXT     PRIMARY KEY,
    actor_id    TEXT     NOT NULL,
    kind        TEXT     NOT NULL,
    post_id     INTEGER  NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    feedback_id INTEGER  NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    created_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX ap_objects_reaction_once ON ap_objects (actor_id, kind, post_id) WHERE kind <> 'reply';
CREATE INDEX ap_objects_feedback ON ap_objects (feedback_id);
-- Posts the fediverse was sent a Create for (and not a Delete since).
CREATE TABLE ap_published (
    post_id     INTEGER  PRIMARY KEY,
    local_actor TEXT     NOT NULL,
    object_id   TEXT     NOT NULL,
    updated_at  DATETIME NOT NULL
);
-- The outbox of signed deliveries, one per inbox (a shared inbox once),
-- leased, retried and fenced like notifications. post_id has no foreign key:
-- a Delete outlives its post.
CREATE TABLE ap_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id         INTEGER,
    local_actor     TEXT     NOT NULL,
    activity_type   TEXT     NOT NULL,
    inbox           TEXT     NOT NULL,
    body            TEXT     NOT NULL,
    state           TEXT     NOT NULL DEFAULT 'queued',
    attempts        INTEGER  NOT NULL DEFAULT 0,
    lease_seq       INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    locked_until    DATETIME,
    last_message    TEXT     NOT NULL DEFAULT '',
    sent_at         DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX ap_deliveries_due ON ap_deliveries (state, next_attempt_at);
CREATE INDEX ap_deliveries_post ON ap_deliveries (post_id) WHERE post_id IS NOT NULL;
