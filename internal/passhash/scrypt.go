package passhash

import (
	"crypto/subtle"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// scryptHash is a scrypt hash in passlib's PHC form:
// $scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt>$<hash>.
type scryptHash struct {
	ln, r, p  int
	salt, key string
}

func parseScrypt(s string) (scheme, error) {
	f, err := fields(s, "scrypt", 5)
	if err != nil {
		return nil, err
	}
	v, err := params(f[2], "scrypt", []string{"ln", "r", "p"}, []int{1, 1, 1}, []int{MaxScryptLogN, MaxScryptR, MaxScryptP})
	if err != nil {
		return nil, err
	}
	h := scryptHash{ln: v[0], r: v[1], p: v[2]}
	switch n := 1 << h.ln; {
	case 128*h.r*n > MaxScryptMemory:
		return nil, invalid("has a scrypt memory, 128·r·2^ln, over the limit of %d bytes", MaxScryptMemory)
	case n*h.r*h.p > MaxScryptWork:
		return nil, invalid("has a scrypt 2^ln·r·p over the limit of %d", MaxScryptWork)
	}
	if h.salt, err = decode(phc64(), f[3], "scrypt salt", MinKDFSaltLen, MaxSaltLen); err != nil {
		return nil, err
	}
	if h.key, err = decode(phc64(), f[4], "scrypt digest", MinDigestLen, MaxDigestLen); err != nil {
		return nil, err
	}
	return h, nil
}

func (scryptHash) format() string { return "scrypt" }
func (scryptHash) weak() bool     { return false }

func (c scryptHash) encode() string {
	return fmt.Sprintf("$scrypt$ln=%d,r=%d,p=%d$%s$%s", c.ln, c.r, c.p,
		phc64().EncodeToString([]byte(c.salt)), phc64().EncodeToString([]byte(c.key)))
}

func (c scryptHash) verify(password []byte) bool {
	key, err := scrypt.Key(password, []byte(c.salt), 1<<c.ln, c.r, c.p, len(c.key))
	return err == nil && subtle.ConstantTimeCompare(key, []byte(c.key)) == 1
}
