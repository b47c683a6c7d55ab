package passhash

import (
	"crypto/pbkdf2"
	"crypto/subtle"
	"fmt"
	"hash"
	"strings"
)

// pbkdf2Hash is a PBKDF2-HMAC hash in Django's form,
// pbkdf2_sha256$<iterations>$<salt>$<base64 digest>, where the salt is used
// as written, or in passlib's, $pbkdf2-sha256$<rounds>$<salt>$<digest>,
// where salt and digest are in adapted base64 ($pbkdf2$ is SHA-1).
type pbkdf2Hash struct {
	alg       algo
	passlib   bool
	iter      int
	salt, key string
}

func parseDjangoPBKDF2(s string) (scheme, error) {
	f, err := fields(s, "pbkdf2", 4)
	if err != nil {
		return nil, err
	}
	h := pbkdf2Hash{alg: pbkdf2Algo(strings.TrimPrefix(f[0], "pbkdf2_"))}
	if err := h.parse(f[1:]); err != nil {
		return nil, err
	}
	h.salt = f[2]
	if err := length("pbkdf2 salt", len(h.salt), 1, MaxSaltLen); err != nil {
		return nil, err
	}
	h.key, err = decode(django64(), f[3], "pbkdf2 digest", MinDigestLen, MaxDigestLen)
	return h, err
}

func parsePasslibPBKDF2(s string) (scheme, error) {
	f, err := fields(s, "pbkdf2", 5)
	if err != nil {
		return nil, err
	}
	h := pbkdf2Hash{passlib: true}
	switch f[1] {
	case "pbkdf2":
		h.alg = sha1Algo
	case "pbkdf2-sha256":
		h.alg = sha256Algo
	case "pbkdf2-sha512":
		h.alg = sha512Algo
	}
	if err := h.parse(f[2:]); err != nil {
		return nil, err
	}
	if h.salt, err = decode(adapted64(), f[3], "pbkdf2 salt", 1, MaxSaltLen); err != nil {
		return nil, err
	}
	h.key, err = decode(adapted64(), f[4], "pbkdf2 digest", MinDigestLen, MaxDigestLen)
	return h, err
}

// pbkdf2Algo returns the HMAC digest called name, or 0 if PBKDF2 does not
// use it here.
func pbkdf2Algo(name string) algo {
	if a := algoNamed(name); a != md5Algo {
		return a
	}
	return 0
}

// parse checks the algorithm and reads the iterations, the first of f.
func (p *pbkdf2Hash) parse(f []string) (err error) {
	if p.alg == 0 {
		return invalid("has a pbkdf2 digest algorithm other than sha1, sha256 or sha512")
	}
	p.iter, err = number(f[0], "pbkdf2 iteration count", 1, MaxPBKDF2Iterations)
	return err
}

func (p pbkdf2Hash) format() string { return "pbkdf2_" + p.alg.String() }
func (pbkdf2Hash) weak() bool       { return false }

func (p pbkdf2Hash) encode() string {
	if p.passlib {
		ident := "pbkdf2-" + p.alg.String()
		if p.alg == sha1Algo {
			ident = "pbkdf2"
		}
		return fmt.Sprintf("$%s$%d$%s$%s", ident, p.iter, adapted64().EncodeToString([]byte(p.salt)), adapted64().EncodeToString([]byte(p.key)))
	}
	return fmt.Sprintf("%s$%d$%s$%s", p.format(), p.iter, p.salt, django64().EncodeToString([]byte(p.key)))
}

func (p pbkdf2Hash) verify(password []byte) bool {
	key, err := pbkdf2.Key(func() hash.Hash { return p.alg.new() }, string(password), []byte(p.salt), p.iter, len(p.key))
	return err == nil && subtle.ConstantTimeCompare(key, []byte(p.key)) == 1
}
