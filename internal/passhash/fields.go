package passhash

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// fields splits s at each '$' and requires n fields.
func fields(s, format string, n int) ([]string, error) {
	f := strings.Split(s, "$")
	if len(f) != n {
		return nil, invalid("has %s $-separated fields for %s (want %d)", tooFewOrMany(len(f), n), format, n)
	}
	return f, nil
}

func tooFewOrMany(got, want int) string {
	if got < want {
		return "too few"
	}
	return "too many"
}

// number parses a decimal parameter: digits only, no leading zero, at most
// nine digits, within lo..hi.
func number(s, name string, lo, hi int) (int, error) {
	if s == "" || len(s) > 9 || (s[0] == '0' && len(s) > 1) || strings.Trim(s, "0123456789") != "" {
		return 0, invalid("has a %s that is not a plain decimal number", name)
	}
	n, _ := strconv.Atoi(s)
	if n < lo || n > hi {
		return 0, invalid("has a %s outside %d to %d", name, lo, hi)
	}
	return n, nil
}

// params parses "k1=v1,k2=v2,..." with exactly the given keys in order,
// each bounded by lo..hi.
func params(s, format string, keys []string, lo, hi []int) ([]int, error) {
	parts := strings.Split(s, ",")
	if len(parts) != len(keys) {
		return nil, invalid("must have exactly the %s parameters %s", format, strings.Join(keys, ","))
	}
	vals := make([]int, len(keys))
	for i, p := range parts {
		v, ok := strings.CutPrefix(p, keys[i]+"=")
		if !ok {
			return nil, invalid("must have exactly the %s parameters %s", format, strings.Join(keys, ","))
		}
		n, err := number(v, format+" "+keys[i], lo[i], hi[i])
		if err != nil {
			return nil, err
		}
		vals[i] = n
	}
	return vals, nil
}

// The base64 forms in use: PHC strings (standard alphabet, no padding),
// Django (standard, padded) and passlib's adapted base64 ('.' for '+', no
// padding).
func phc64() *base64.Encoding    { return base64.RawStdEncoding }
func django64() *base64.Encoding { return base64.StdEncoding }
func adapted64() *base64.Encoding {
	return base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./").WithPadding(base64.NoPadding)
}

// decode reads what (a salt or digest) in enc, of lo..hi bytes. Only the
// canonical encoding is accepted, so String gives back what was parsed.
func decode(enc *base64.Encoding, s, what string, lo, hi int) (string, error) {
	b, err := enc.DecodeString(s)
	if err != nil || enc.EncodeToString(b) != s {
		return "", invalid("has a %s that is not valid base64", what)
	}
	return string(b), length(what, len(b), lo, hi)
}

// length checks that what is lo..hi bytes long.
func length(what string, n, lo, hi int) error {
	if n < lo || n > hi {
		return invalid("has a %s of the wrong length (must be %d to %d bytes)", what, lo, hi)
	}
	return nil
}
