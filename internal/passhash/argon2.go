package passhash

import (
	"crypto/subtle"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// argon2Hash is an argon2id or argon2i hash of version 19 in PHC form:
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>.
type argon2Hash struct {
	variant         string // "argon2id" or "argon2i"
	memory, time, p int
	salt, key       string
}

func parseArgon2(s string) (scheme, error) {
	f, err := fields(s, "argon2", 6)
	if err != nil {
		return nil, err
	}
	if f[2] != "v=19" {
		return nil, invalid("has an argon2 version other than v=19, the only one supported")
	}
	v, err := params(f[3], "argon2", []string{"m", "t", "p"}, []int{1, 1, 1}, []int{MaxArgon2Memory, MaxArgon2Time, MaxArgon2Threads})
	if err != nil {
		return nil, err
	}
	h := argon2Hash{variant: f[1], memory: v[0], time: v[1], p: v[2]}
	switch {
	case h.memory < 8*h.p:
		return nil, invalid("has an argon2 memory below 8 KiB per lane")
	case h.memory*h.time > MaxArgon2Work:
		return nil, invalid("has an argon2 memory (KiB) times passes over the limit of %d", MaxArgon2Work)
	}
	if h.salt, err = decode(phc64(), f[4], "argon2 salt", MinKDFSaltLen, MaxSaltLen); err != nil {
		return nil, err
	}
	if h.key, err = decode(phc64(), f[5], "argon2 digest", MinDigestLen, MaxDigestLen); err != nil {
		return nil, err
	}
	return h, nil
}

func (a argon2Hash) format() string { return a.variant }
func (argon2Hash) weak() bool       { return false }

func (a argon2Hash) encode() string {
	return fmt.Sprintf("$%s$v=19$m=%d,t=%d,p=%d$%s$%s", a.variant, a.memory, a.time, a.p,
		phc64().EncodeToString([]byte(a.salt)), phc64().EncodeToString([]byte(a.key)))
}

func (a argon2Hash) verify(password []byte) bool {
	kdf := argon2.IDKey
	if a.variant == "argon2i" {
		kdf = argon2.Key
	}
	key := kdf(password, []byte(a.salt), uint32(a.time), uint32(a.memory), uint8(a.p), uint32(len(a.key)))
	return subtle.ConstantTimeCompare(key, []byte(a.key)) == 1
}
