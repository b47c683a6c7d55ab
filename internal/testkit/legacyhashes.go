package testkit

// LegacyHash is a published known answer for a password hash made by
// another system: the format's name (as passhash.Hash.Format gives it), the
// stored hash and the password it matches.
type LegacyHash struct{ Format, Hash, Password string }

// LegacyHashes returns one published known answer per format a migrating
// system may bring, each cheap to verify, each password at most 72 bytes.
func LegacyHashes() []LegacyHash {
	return []LegacyHash{
		// OpenWall crypt_blowfish's test vectors (wrapper.c; also in John the Ripper).
		{"bcrypt", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"},
		// P-H-C/phc-winner-argon2 src/test.c, version 0x13, t=2, m=2^8, p=1,
		// password "password", salt "somesalt".
		{"argon2id", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "password"},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8", "password"},
		// RFC 7914 section 12, scrypt("pleaseletmein", "SodiumChloride",
		// N=16384, r=8, p=1, dkLen=64): the published digest in PHC form.
		{"scrypt", "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw", "pleaseletmein"},
		// Django 1.5's test suite, auth tests/hashers.py, test_pbkdf2.
		{"pbkdf2_sha256", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=", "l\u00e8tmein"},
		// passlib's tests (test_handlers_django.py, django_pbkdf2_sha1_test).
		{"pbkdf2_sha1", "pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I=", "not a password"},
		// passlib's tests (test_handlers_pbkdf2.py, pbkdf2_sha256_test and
		// pbkdf2_sha512_test).
		{"pbkdf2_sha256", "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ", "password"},
		{"pbkdf2_sha512", "$pbkdf2-sha512$1212$RHY0Fr3IDMSVO/RSZyb5ow$eNLfBK.eVozomMr.1gYa17k9B7KIK25NOEshvhrSX.esqY3s.FvWZViXz4KoLlQI.BzY/YTNJOiKc5gBYFYGww", "password"},
		// Django's test suite, auth_tests/test_hashers.py, test_sha1.
		{"sha1", "sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8", "l\u00e8tmein"},
		// FIPS 180-2 appendix B.1 and C.1: SHA-256("abc") and SHA-512("abc"),
		// as salt "a" and password "bc".
		{"sha256", "sha256$a$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "bc"},
		{"sha512", "sha512$a$ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", "bc"},
		// MD5("123456"), the commonest leaked password's digest.
		{"md5", "e10adc3949ba59abbe56e057f20f883e", "123456"},
		// Django's test suite, auth_tests/test_hashers.py, test_unsalted_sha1.
		{"sha1", "sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b", "l\u00e8tmein"},
		// FIPS 180-2 appendix B.1, SHA-256("abc"), as bare upper-case hex.
		{"sha256", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "abc"},
	}
}
