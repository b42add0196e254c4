package activitypub

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// KeyBits is the size of the RSA keys made for actors: Mastodon and the
// HTTP Signature profile for ActivityPub ask for at least 2048.
const KeyBits = 2048

// minKeyBits is the smallest remote key accepted.
const minKeyBits = 2048

// ErrBadKey means a PEM block holds no usable RSA key.
var ErrBadKey = errors.New("activitypub: not a usable RSA key")

// NewKey makes an actor's key pair, returned as PEM: the private key in
// PKCS#8, the public key in SPKI ("PUBLIC KEY"), the form actors publish.
func NewKey() (privatePEM, publicPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return "", "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), nil
}

// ParsePrivateKey reads a PEM private key (PKCS#8 or PKCS#1).
func ParsePrivateKey(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, ErrBadKey
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, ErrBadKey
	}
	return rk, nil
}

// ParsePublicKey reads a PEM public key (SPKI, or PKCS#1 "RSA PUBLIC KEY"
// as some servers publish) of at least 2048 bits.
func ParsePublicKey(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, ErrBadKey
	}
	var key *rsa.PublicKey
	if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		key = k
	} else {
		pk, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
		}
		rk, ok := pk.(*rsa.PublicKey)
		if !ok {
			return nil, ErrBadKey
		}
		key = rk
	}
	if key.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("%w: %d bits", ErrBadKey, key.N.BitLen())
	}
	return key, nil
}
