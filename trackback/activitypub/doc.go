// Package activitypub is the fediverse's linkback protocol as Crosstalk
// speaks it: HTTP Signatures (draft-cavage-12, rsa-sha256, signing
// "(request-target) host date digest" as Mastodon does) with the SHA-256
// Digest header, the ActivityStreams documents a blog publishes and
// receives (actors, Article, Note, activities, collections), WebFinger and
// NodeInfo documents, content negotiation, and fetching remote actors.
//
// Like the rest of trackback/ it knows neither gin nor gorm and keeps no
// global state. Signatures are made with crypto/rsa and crypto/sha256:
// github.com/go-fed/httpsig is not obtainable from the project's module
// source, and (see the interop notes) it labels every signature hs2019 and
// checks neither Date nor the body's Digest, which a receiver must.
package activitypub
