package federation

import (
	"crypto/rand"
	"encoding/hex"
)

// randomID makes the unique part of an activity id.
func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
