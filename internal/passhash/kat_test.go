package passhash_test

import (
	"strings"
	"testing"

	"github.com/embedid/identity/internal/passhash"
	"github.com/embedid/identity/internal/testkit"
)

// extraVectors are published known answers beyond testkit.LegacyHashes.
func extraVectors() []testkit.LegacyHash {
	return []testkit.LegacyHash{
		// PHP manual, password_verify example.
		{Format: "bcrypt", Hash: "$2y$07$BCryptRequires22Chrcte/VlQH0piJtjXl.0t1XkA8pw9dMXTpOq", Password: "rasmuslerdorf"},
		// pyca/bcrypt's tests (test_bcrypt.py, _2b_test_vectors).
		{Format: "bcrypt", Hash: "$2b$04$2moPs/x/wnCfeQ5pCheMcuSJQ/KYjOZG780UjA/SiR.KsYWNrC7SG", Password: "tEPtJZXur16Vg"},
		// passlib's documentation, passlib.hash.scrypt usage example.
		{Format: "scrypt", Hash: "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E", Password: "password"},
		// P-H-C/phc-winner-argon2 src/test.c, version 0x13, t=2, m=2^8, p=2.
		{Format: "argon2id", Hash: "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", Password: "password"},
		// RFC 7914 section 11, PBKDF2-HMAC-SHA256("passwd", "salt", c=1,
		// dkLen=64), in Django's form.
		{Format: "pbkdf2_sha256", Hash: "pbkdf2_sha256$1$salt$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLxJypzM8Xm2RZkWZLOdd+8xfHG4RbHjC9UJESBB06GXgw==", Password: "passwd"},
		// RFC 6070, PBKDF2-HMAC-SHA1("password", "salt", c=2 and c=4096,
		// dkLen=20), in Django's form.
		{Format: "pbkdf2_sha1", Hash: "pbkdf2_sha1$2$salt$6mwBTcctb4zNHtkqzh1B8NjeiVc=", Password: "password"},
		{Format: "pbkdf2_sha1", Hash: "pbkdf2_sha1$4096$salt$SwB5AbdlSJq+rUnZJvch0GWkKcE=", Password: "password"},
		// passlib's tests (test_handlers_pbkdf2.py, pbkdf2_sha1_test).
		{Format: "pbkdf2_sha1", Hash: "$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI", Password: "password"},
		// Django's test suite, auth_tests/test_hashers.py: test_md5 and
		// test_unsalted_md5 (bare and in the md5$$ form).
		{Format: "md5", Hash: "md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3", Password: "l\u00e8tmein"},
		{Format: "md5", Hash: "88a434c88cca4e900f7874cd98123f43", Password: "l\u00e8tmein"},
		{Format: "md5", Hash: "md5$$88a434c88cca4e900f7874cd98123f43", Password: "l\u00e8tmein"},
		// FIPS 180-2 appendix A.1, SHA-1("abc"), bare.
		{Format: "sha1", Hash: "a9993e364706816aba3e25717850c26c9cd0d89d", Password: "abc"},
	}
}

func TestKnownAnswers(t *testing.T) {
	for _, v := range append(testkit.LegacyHashes(), extraVectors()...) {
		t.Run(v.Format, func(t *testing.T) {
			h, err := passhash.Parse(v.Hash)
			if err != nil {
				t.Fatalf("Parse(%.16s...): %v", v.Hash, err)
			}
			weak := strings.HasPrefix(v.Format, "md5") || strings.HasPrefix(v.Format, "sha")
			if h.Format() != v.Format || h.Weak() != weak {
				t.Errorf("Format, Weak = %q, %v; want %q, %v", h.Format(), h.Weak(), v.Format, weak)
			}
			if !h.Verify([]byte(v.Password)) {
				t.Errorf("%s: the right password does not verify", v.Format)
			}
			if h.Verify([]byte(v.Password + "x")) {
				t.Errorf("%s: a wrong password verifies", v.Format)
			}
			again, err := passhash.Parse(h.String())
			if err != nil || again != h {
				t.Errorf("%s: Parse(String()) = %v, %v; want the same Hash", v.Format, again.Format(), err)
			}
			if len(v.Password) > 72 {
				t.Errorf("%s: password over 72 bytes", v.Format)
			}
		})
	}
}

func TestCanonicalForm(t *testing.T) {
	cases := map[string]string{
		"E10ADC3949BA59ABBE56E057F20F883E":                      "md5$$e10adc3949ba59abbe56e057f20f883e",
		"a9993e364706816aba3e25717850c26c9cd0d89d":              "sha1$$a9993e364706816aba3e25717850c26c9cd0d89d",
		"sha1$seasalt$CFF36EA83F5706CE9AA7454E63E431FC726B2DC8": "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8",
	}
	for in, want := range cases {
		h, err := passhash.Parse(in)
		if err != nil || h.String() != want {
			t.Errorf("String() = %q, %v; want %q", h.String(), err, want)
		}
	}
	for _, v := range testkit.LegacyHashes() {
		if h, _ := passhash.Parse(v.Hash); strings.Contains(v.Hash, "$") && h.String() != v.Hash {
			t.Errorf("%s: String() is not the stored form", v.Format)
		}
	}
}

func TestZeroHash(t *testing.T) {
	var h passhash.Hash
	if h.Verify(nil) || h.Verify([]byte("")) || h.Format() != "" || h.String() != "" || h.Weak() {
		t.Error("the zero Hash is not empty and matching nothing")
	}
}

func TestIsBcrypt(t *testing.T) {
	for in, want := range map[string]bool{
		"$2a$10$x": true, "$2b$": true, "$2y$": true, "$2": false, "$argon2id$": false, "": false, "2a$": false,
	} {
		if passhash.IsBcrypt([]byte(in)) != want {
			t.Errorf("IsBcrypt(%q) = %v", in, !want)
		}
	}
}
