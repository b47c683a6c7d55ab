package passhash

import (
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// bcryptHash is a bcrypt hash, kept as given.
type bcryptHash struct{ s string }

// bcryptLen is the length of a bcrypt hash: "$2a$10$", 22 salt and 31 hash
// characters.
const bcryptLen = 60

func parseBcrypt(s string) (scheme, error) {
	switch {
	case len(s) != bcryptLen:
		return nil, invalid("is not %d characters long, as a bcrypt hash is", bcryptLen)
	case !strings.Contains("aby", s[2:3]) || s[3] != '$' || s[6] != '$':
		return nil, invalid("is not a bcrypt hash of version 2a, 2b or 2y")
	case strings.Trim(s[7:], "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != "":
		return nil, invalid("has a bcrypt salt or digest that is not valid bcrypt base64")
	}
	if _, err := number(strings.TrimPrefix(s[4:6], "0"), "bcrypt cost", bcrypt.MinCost, MaxBcryptCost); err != nil {
		return nil, err
	}
	return bcryptHash{s}, nil
}

func (bcryptHash) format() string   { return "bcrypt" }
func (bcryptHash) weak() bool       { return false }
func (b bcryptHash) encode() string { return b.s }

func (b bcryptHash) verify(password []byte) bool {
	return bcrypt.CompareHashAndPassword([]byte(b.s), password) == nil
}
