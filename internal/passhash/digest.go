package passhash

import (
	"crypto/subtle"
	"encoding/hex"
)

// digestHash is a fast digest of salt||password, written
// <algo>$<salt>$<hex> (Django's old salted form; the salt is empty when
// unsalted), or, unsalted, as bare hex.
type digestHash struct {
	alg  algo
	salt string
	sum  string
}

func parseDigest(s string) (scheme, error) {
	f, err := fields(s, "a salted digest", 3)
	if err != nil {
		return nil, err
	}
	alg := algoNamed(f[0])
	if alg == 0 {
		return nil, invalid("is not in a supported password hash format")
	}
	if len(f[1]) > MaxSaltLen {
		return nil, invalid("has a salt longer than %d bytes", MaxSaltLen)
	}
	return hexDigest(alg, f[1], f[2])
}

// parseBareHex reads an unsalted MD5, SHA-1 or SHA-256 digest in hex.
func parseBareHex(s string) (scheme, error) {
	for _, a := range []algo{md5Algo, sha1Algo, sha256Algo} {
		if len(s) == 2*a.new().Size() {
			return hexDigest(a, "", s)
		}
	}
	return nil, invalid("is not in a supported password hash format")
}

// hexDigest decodes the hex digest x of alg.
func hexDigest(alg algo, salt, x string) (scheme, error) {
	sum, err := hex.DecodeString(x)
	if err != nil {
		return nil, invalid("has a %s digest that is not valid hex", alg)
	}
	if len(sum) != alg.new().Size() {
		return nil, invalid("has a %s digest of the wrong length (must be %d bytes)", alg, alg.new().Size())
	}
	return digestHash{alg, salt, string(sum)}, nil
}

func (d digestHash) format() string { return d.alg.String() }
func (digestHash) weak() bool       { return true }

func (d digestHash) encode() string {
	return d.alg.String() + "$" + d.salt + "$" + hex.EncodeToString([]byte(d.sum))
}

func (d digestHash) verify(password []byte) bool {
	h := d.alg.new()
	h.Write([]byte(d.salt))
	h.Write(password)
	return subtle.ConstantTimeCompare(h.Sum(nil), []byte(d.sum)) == 1
}
