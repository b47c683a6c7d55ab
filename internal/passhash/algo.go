package passhash

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// algo is a digest algorithm, for PBKDF2's HMAC or a fast digest.
type algo uint8

const (
	md5Algo algo = iota + 1
	sha1Algo
	sha256Algo
	sha512Algo
)

// algoNamed returns the algorithm called name ("md5", "sha1", "sha256",
// "sha512"), or 0.
func algoNamed(name string) algo {
	for a := md5Algo; a <= sha512Algo; a++ {
		if a.String() == name {
			return a
		}
	}
	return 0
}

func (a algo) String() string {
	switch a {
	case md5Algo:
		return "md5"
	case sha1Algo:
		return "sha1"
	case sha256Algo:
		return "sha256"
	case sha512Algo:
		return "sha512"
	}
	return ""
}

// new returns a hash.Hash of the algorithm.
func (a algo) new() hash.Hash {
	switch a {
	case md5Algo:
		return md5.New()
	case sha1Algo:
		return sha1.New()
	case sha256Algo:
		return sha256.New()
	}
	return sha512.New()
}
