// Package secret makes random secrets and IDs and hashes secrets for storage.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"time"
)

// Token returns a new 256-bit bearer secret (URL-safe base64) and its hash.
func Token() (plain string, hash []byte) {
	return issue(32, base64.RawURLEncoding.EncodeToString)
}

// Code returns a new 160-bit code people can copy from a message (lower-case
// base32) and its hash.
func Code() (plain string, hash []byte) {
	return issue(20, func(b []byte) string { return lowerBase32.EncodeToString(b) })
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func issue(n int, encode func([]byte) string) (string, []byte) {
	b := make([]byte, n)
	rand.Read(b) // crypto/rand.Read never fails; it panics on a broken system source.
	plain := encode(b)
	return plain, Hash(plain)
}

// Hash returns the SHA-256 of a secret: what is stored and looked up.
func Hash(plain string) []byte {
	h := sha256.Sum256([]byte(plain))
	return h[:]
}

// Equal compares a presented secret with a stored hash in constant time.
func Equal(plain string, hash []byte) bool {
	return subtle.ConstantTimeCompare(Hash(plain), hash) == 1
}

// ID returns a new 128-bit identifier as 32 lower-case hex digits: 48 bits of
// milliseconds since the epoch followed by 80 random bits, so IDs made later
// sort later and index inserts stay local.
func ID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

// IDs returns n new identifiers, as ID makes them, in ascending order. Rows
// written in that order append to the indexes that hold their IDs, where
// random order within the same millisecond would seek and split pages.
func IDs(now time.Time, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = ID(now)
	}
	slices.Sort(ids)
	return ids
}
