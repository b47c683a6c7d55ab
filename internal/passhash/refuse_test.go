package passhash_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/passhash"
)

func TestRefusals(t *testing.T) {
	const (
		salt16 = "c29tZXNhbHRzb21lc2FsdA" // 16 bytes
		key32  = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
		argon  = "$argon2id$v=19$m=256,t=2,p=1$" + salt16 + "$" + key32
		scrypt = "$scrypt$ln=14,r=8,p=1$" + salt16 + "$" + key32
		bc     = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"
		ab64   = "4vjV83LKPjQzk31VI4E0Vw"
	)
	cases := []struct{ in, want string }{
		{strings.Repeat("a", passhash.MaxLen+1), "longer than 512 bytes"},
		{"", "not in a supported password hash format"},
		{"plaintext password", "not in a supported"},
		{"$unknown$1$2", "not in a supported"},
		{"crypt$$ab1Hv2Lg7ltQo", "not in a supported"},

		// bcrypt
		{bc[:59], "not 60 characters long"},
		{bc + "x", "not 60 characters long"},
		{strings.Replace(bc, "$2a$", "$2x$", 1), "version 2a, 2b or 2y"},
		{strings.Replace(bc, "$05$", "$17$", 1), "bcrypt cost outside 4 to 16"},
		{strings.Replace(bc, "$05$", "$03$", 1), "bcrypt cost outside 4 to 16"},
		{strings.Replace(bc, "$05$", "$1x$", 1), "bcrypt cost that is not a plain decimal"},
		{strings.Replace(bc, "CCCC", "CC!C", 1), "not valid bcrypt base64"},

		// argon2
		{strings.Replace(argon, "v=19", "v=16", 1), "argon2 version other than v=19"},
		{strings.Replace(argon, "$v=19", "", 1), "too few $-separated fields for argon2"},
		{argon + "$", "too many $-separated fields for argon2"},
		{strings.Replace(argon, "argon2id", "argon2d", 1), "not in a supported"},
		{strings.Replace(argon, "m=256", "m=262145", 1), "argon2 m outside 1 to 262144"},
		{strings.Replace(argon, "m=256,t=2", "m=262144,t=5", 1), "argon2 memory (KiB) times passes over the limit of 1048576"},
		{strings.Replace(argon, "t=2", "t=17", 1), "argon2 t outside 1 to 16"},
		{strings.Replace(argon, "t=2", "t=0", 1), "argon2 t outside 1 to 16"},
		{strings.Replace(argon, "p=1", "p=17", 1), "argon2 p outside 1 to 16"},
		{strings.Replace(argon, "m=256,t=2,p=1", "m=64,t=2,p=16", 1), "below 8 KiB per lane"},
		{strings.Replace(argon, "m=256,t=2,p=1", "t=2,m=256,p=1", 1), "exactly the argon2 parameters m,t,p"},
		{strings.Replace(argon, "p=1", "p=1,keyid=x", 1), "exactly the argon2 parameters m,t,p"},
		{strings.Replace(argon, "t=2", "t=02", 1), "argon2 t that is not a plain decimal"},
		{strings.Replace(argon, "t=2", "t=+2", 1), "argon2 t that is not a plain decimal"},
		{strings.Replace(argon, salt16, "c29tZXNhbHQ=", 1), "argon2 salt that is not valid base64"},
		{strings.Replace(argon, salt16, "c29tZQ", 1), "argon2 salt of the wrong length (must be 8 to 64 bytes)"},
		{strings.Replace(argon, salt16, strings.Repeat("AAAA", 22), 1), "argon2 salt of the wrong length"},
		{strings.Replace(argon, key32, "c29tZXNhbHQ", 1), "argon2 digest of the wrong length (must be 16 to 64 bytes)"},
		{strings.Replace(argon, key32, key32[:42]+"!", 1), "argon2 digest that is not valid base64"},

		// scrypt
		{strings.Replace(scrypt, "ln=14", "ln=21", 1), "scrypt ln outside 1 to 20"},
		{strings.Replace(scrypt, "ln=14", "ln=0", 1), "scrypt ln outside 1 to 20"},
		{strings.Replace(scrypt, "r=8", "r=33", 1), "scrypt r outside 1 to 32"},
		{strings.Replace(scrypt, "p=1", "p=17", 1), "scrypt p outside 1 to 16"},
		{strings.Replace(scrypt, "ln=14,r=8", "ln=20,r=8", 1), "scrypt memory, 128·r·2^ln, over the limit of 268435456 bytes"},
		{strings.Replace(scrypt, "ln=14,r=8,p=1", "ln=16,r=8,p=4", 1), ""},
		{strings.Replace(scrypt, "ln=14,r=8,p=1", "ln=16,r=8,p=5", 1), "scrypt 2^ln·r·p over the limit of 2097152"},
		{strings.Replace(scrypt, "ln=14,r=8,p=1", "ln=14,r=8", 1), "exactly the scrypt parameters ln,r,p"},
		{strings.Replace(scrypt, salt16, "c29tZQ", 1), "scrypt salt of the wrong length"},
		{strings.Replace(scrypt, key32, "", 1), "scrypt digest of the wrong length"},
		{scrypt + "$", "too many $-separated fields for scrypt"},

		// PBKDF2
		{"pbkdf2_sha256$5000001$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "pbkdf2 iteration count outside 1 to 5000000"},
		{"pbkdf2_sha256$0$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "pbkdf2 iteration count outside"},
		{"pbkdf2_sha256$-1$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "pbkdf2 iteration count that is not a plain decimal"},
		{"pbkdf2_sha256$10000000000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "not a plain decimal"},
		{"pbkdf2_md5$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "digest algorithm other than sha1, sha256 or sha512"},
		{"pbkdf2_sha256$10000$$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "pbkdf2 salt of the wrong length (must be 1 to 64 bytes)"},
		{"pbkdf2_sha256$10000$" + strings.Repeat("s", 65) + "$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "pbkdf2 salt of the wrong length"},
		{"pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY", "pbkdf2 digest that is not valid base64"},
		{"pbkdf2_sha256$10000$seasalt$c29tZXNhbHQ=", "pbkdf2 digest of the wrong length (must be 16 to 64 bytes)"},
		{"pbkdf2_sha256$10000$seasalt", "too few $-separated fields for pbkdf2"},
		{"$pbkdf2-sha256$1212$" + ab64 + "$hsYF68OiOUPdDZ1Fg+fJPeq1h/gXXY7acBp9/6c.tmQ", "pbkdf2 digest that is not valid base64"},
		{"$pbkdf2-sha1$1212$" + ab64 + "$y5LKPOplRmok7CZp/aqVDVg8zGI", "digest algorithm other than"},
		{"$pbkdf2-sha256$1212$$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", "pbkdf2 salt of the wrong length"},
		{"$pbkdf2-sha256$01212$" + ab64 + "$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", "not a plain decimal"},
		{"$pbkdf2-sha256$1212$" + ab64 + "$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ$", "too many $-separated fields for pbkdf2"},

		// fast digests
		{"sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc", "sha1 digest that is not valid hex"},
		{"sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2d", "sha1 digest of the wrong length (must be 20 bytes)"},
		{"sha256$a$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "sha256 digest of the wrong length (must be 32 bytes)"},
		{"sha1$seasalt$zff36ea83f5706ce9aa7454e63e431fc726b2dc8", "not valid hex"},
		{"sha1$" + strings.Repeat("s", 65) + "$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "salt longer than 64 bytes"},
		{"sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8$", "too many $-separated fields for a salted digest"},
		{"md4$$e10adc3949ba59abbe56e057f20f883e", "not in a supported"},
		{"e10adc3949ba59abbe56e057f20f883", "not in a supported"},
		{"g10adc3949ba59abbe56e057f20f883e", "md5 digest that is not valid hex"},
	}
	for _, c := range cases {
		_, err := passhash.Parse(c.in)
		if c.want == "" {
			if err != nil {
				t.Errorf("Parse(%.40q): %v, want it accepted (at the limit)", c.in, err)
			}
			continue
		}
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != errs.Invalid || e.Field != "password_hash" || !strings.Contains(e.Message, c.want) {
			t.Errorf("Parse(%.40q) = %v, want an invalid password_hash: %s", c.in, err, c.want)
			continue
		}
		for _, part := range strings.Split(c.in, "$") {
			if len(part) >= 8 && strings.Contains(e.Message, part) {
				t.Errorf("Parse(%.40q): the message holds part of the input", c.in)
			}
		}
	}
}

func TestLimitsAccepted(t *testing.T) {
	for _, in := range []string{
		"$2a$16$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
		"$argon2id$v=19$m=262144,t=4,p=16$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2i$v=19$m=65536,t=16,p=16$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$scrypt$ln=20,r=1,p=2$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$scrypt$ln=16,r=32,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"pbkdf2_sha256$5000000$" + strings.Repeat("s", 64) + "$c29tZXNhbHRzb21lc2FsdA==",
		"$pbkdf2-sha512$5000000$c29tZXNhbHQ$" + strings.Repeat("A", 86),
	} {
		if _, err := passhash.Parse(in); err != nil {
			t.Errorf("Parse(%.40q): %v, want it accepted", in, err)
		}
	}
}
