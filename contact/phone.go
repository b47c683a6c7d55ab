package contact

import (
	"strconv"
	"strings"

	"github.com/embedid/identity/internal/errs"
	"github.com/nyaruka/phonenumbers"
)

// maxPhoneText is the longest phone input accepted, in bytes after trimming.
const maxPhoneText = 64

// Phone is a phone number in canonical form.
type Phone struct {
	CountryCode int    // country calling code, e.g. 86
	National    string // national significant number, digits only, e.g. "15204130007"
}

// IsZero reports whether p is the zero Phone, which stands for no number.
func (p Phone) IsZero() bool { return p == Phone{} }

// E164 returns p in E.164 form, such as "+8615204130007", or "" for the zero Phone.
func (p Phone) E164() string {
	if p.IsZero() {
		return ""
	}
	return "+" + p.AreaCode() + p.National
}

// Dashed returns p as "+86-15204130007", the tenant API's form, or "" for the zero Phone.
func (p Phone) Dashed() string {
	if p.IsZero() {
		return ""
	}
	return "+" + p.AreaCode() + "-" + p.National
}

// Parts returns p as its area code and national number, ["86", "15204130007"], the v5 API's form.
func (p Phone) Parts() [2]string { return [2]string{p.AreaCode(), p.National} }

// AreaCode returns the country calling code without "+", such as "86", or "" if there is none.
func (p Phone) AreaCode() string {
	if p.CountryCode == 0 {
		return ""
	}
	return strconv.Itoa(p.CountryCode)
}

// Region returns the ISO 3166 region of the number, such as "CN", or "" if
// it is unknown or the number belongs to no region (such as +800).
func (p Phone) Region() string {
	n, ok := p.number()
	if !ok {
		return ""
	}
	if r := phonenumbers.GetRegionCodeForNumber(n); len(r) == 2 {
		return r
	}
	return ""
}

// Check checks p as v says: valid for its region, or of a possible length.
// field is the request field name used in errors.
func (p Phone) Check(field string, v Validation) error {
	n, ok := p.number()
	switch {
	case v == Possible && !(ok && phonenumbers.IsPossibleNumber(n)):
		return errs.New(errs.Invalid, field, "has the wrong number of digits for %s", numberingArea(p.CountryCode))
	case v != Possible && !(ok && phonenumbers.IsValidNumber(n)):
		return errs.New(errs.Invalid, field, "is not a valid phone number for %s", numberingArea(p.CountryCode))
	}
	return nil
}

// number returns p as phonenumbers holds it, or false if its national
// number is not digits.
func (p Phone) number() (*phonenumbers.PhoneNumber, bool) {
	nn, err := strconv.ParseUint(p.National, 10, 64)
	if err != nil {
		return nil, false
	}
	cc := int32(p.CountryCode)
	n := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &nn}
	// Restore the leading zeros that the numeric national number drops,
	// counted as phonenumbers does: an all-zero number keeps its last zero.
	zeros := 0
	for zeros < len(p.National)-1 && p.National[zeros] == '0' {
		zeros++
	}
	if zeros > 0 {
		lead, count := true, int32(zeros)
		n.ItalianLeadingZero, n.NumberOfLeadingZeros = &lead, &count
	}
	return n, true
}

// String returns p in E.164 form.
func (p Phone) String() string { return p.E164() }

// Validation says how strictly a number is checked.
type Validation int

const (
	Valid    Validation = iota // the number must be valid for its region (default)
	Possible                   // the number need only have a possible length (lenient mode)
)

// ParsePhone reads a phone number typed in any common form: national, read in
// defaultRegion ("15204130006" in "CN", "020 7946 0018" in "GB"), or
// international ("+86-15204130007", "+86 152 0413 0007", "(+86) 15204130007",
// or "0086 15204130007" where 00 is defaultRegion's international prefix).
// It accepts digits, a leading "+", spaces, and - . ( ) as separators, and
// refuses anything else, letters included. defaultRegion may be "" when
// every number must carry its country code. field is the request field name
// used in errors; an unknown defaultRegion is an error on field "region".
func ParsePhone(text, defaultRegion, field string, v Validation) (Phone, error) {
	p, err := ReadPhone(text, defaultRegion, field)
	if err != nil {
		return Phone{}, err
	}
	return p.checked(field, v)
}

// ReadPhone reads a phone number as ParsePhone does, without checking it
// against its region's numbering plan (see Phone.Check). A lookup of
// numbers that were checked when they were stored can look up what it
// returns at once, and check it only when nothing is found, to tell a
// number nobody has from one that cannot be.
func ReadPhone(text, defaultRegion, field string) (Phone, error) {
	if defaultRegion != "" && !ValidRegion(defaultRegion) {
		return Phone{}, errs.New(errs.Invalid, "region", "%q is not a known region code, such as CN or US", defaultRegion)
	}
	var buf [maxPhoneText]byte
	digits, err := appendPhoneDigits(buf[:0], text, field)
	if err != nil {
		return Phone{}, err
	}
	if defaultRegion == "" && digits[0] != '+' {
		return Phone{}, errs.New(errs.Invalid, field, "has no country code; write it as +<country code> <number>")
	}
	return readPhone(string(digits), defaultRegion, field)
}

// PhoneFromParts reads an area (country calling) code such as "86" or "+86"
// and a number such as "13888888888", the v5 API's area_code and mobile; the
// number may be in national form, with or without its national prefix.
// field names the number in errors; area code errors use field "area_code".
func PhoneFromParts(areaCode, number, field string, v Validation) (Phone, error) {
	const areaField = "area_code"
	areaCode = strings.TrimSpace(areaCode)
	if areaCode == "" {
		return Phone{}, errs.New(errs.Invalid, areaField, "is required")
	}
	code := strings.TrimPrefix(areaCode, "+")
	if len(code) == 0 || len(code) > 3 || !allDigits(code) {
		return Phone{}, errs.New(errs.Invalid, areaField, "must be a country calling code of 1 to 3 digits, such as 86")
	}
	cc, _ := strconv.Atoi(code)
	if phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
		return Phone{}, errs.New(errs.Invalid, areaField, "+%s is not a known country calling code", code)
	}
	var buf [4 + maxPhoneText]byte
	digits := strconv.AppendInt(append(buf[:0], '+'), int64(cc), 10)
	start := len(digits)
	digits, err := appendPhoneDigits(digits, number, field)
	if err != nil {
		return Phone{}, err
	}
	if digits[start] == '+' {
		return Phone{}, errs.New(errs.Invalid, field, "must not contain a country code; give it in area_code")
	}
	p, err := readPhone(string(digits), "", field)
	if err != nil {
		return Phone{}, err
	}
	return p.checked(field, v)
}

// ParseE164 reads a canonical "+8615204130007", as stored, back into a
// Phone. It refuses anything that is not canonical E.164: a "+", a known
// country calling code, and 2 to 17 more digits, with nothing else. It
// checks the form only, not the numbering plan, so numbers stored under
// older phonenumbers metadata still load. Its errors name no field.
func ParseE164(s string) (Phone, error) {
	if digits, ok := strings.CutPrefix(s, "+"); ok {
		if p, ok := e164Digits(digits); ok {
			return p, nil
		}
	}
	return Phone{}, errs.New(errs.Invalid, "", "phone number is not in canonical E.164 form (+<country code><number>)")
}

// e164Digits reads the digits after an E.164 number's "+": a known country
// calling code, then a national number of a length one may have.
func e164Digits(digits string) (Phone, bool) {
	if !allDigits(digits) || strings.HasPrefix(digits, "0") {
		return Phone{}, false // country calling codes begin with 1 to 9
	}
	cc, national := splitCountryCode(digits)
	if cc == 0 || !nationalLength(national) {
		return Phone{}, false
	}
	return Phone{CountryCode: cc, National: national}, true
}

// splitCountryCode splits digits after its known country calling code, or
// returns 0 and "" if it starts with none. Country calling codes are
// prefix-free, so the first known prefix is the only one.
func splitCountryCode(digits string) (int, string) {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		cc, _ := strconv.Atoi(digits[:n])
		if phonenumbers.GetRegionCodeForCountryCode(cc) != phonenumbers.UNKNOWN_REGION {
			return cc, digits[n:]
		}
	}
	return 0, ""
}

// ValidRegion reports whether region is a two-letter region code that
// phonenumbers knows, such as "CN" or "US".
func ValidRegion(region string) bool {
	return len(region) == 2 && phonenumbers.GetSupportedRegions()[region]
}

// appendPhoneDigits appends to dst the digits of text and its leading "+",
// if any, dropping the separators people type. It refuses empty or overlong
// text, text without digits, and any other character.
func appendPhoneDigits(dst []byte, text, field string) ([]byte, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, errs.New(errs.Invalid, field, "is required")
	case len(text) > maxPhoneText:
		return nil, errs.New(errs.Invalid, field, "is too long (at most %d characters)", maxPhoneText)
	}
	start, digits := len(dst), 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case '0' <= c && c <= '9':
			dst = append(dst, c)
			digits++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		case c == '+':
			if len(dst) > start {
				return nil, errs.New(errs.Invalid, field, "may contain + only before the country code")
			}
			dst = append(dst, c)
		case 'a' <= c|0x20 && c|0x20 <= 'z':
			return nil, errs.New(errs.Invalid, field, "must not contain letters; write the number in digits")
		default:
			return nil, errs.New(errs.Invalid, field, "may contain only digits, spaces, and + - . ( )")
		}
	}
	if digits == 0 {
		return nil, errs.New(errs.Invalid, field, "contains no digits")
	}
	return dst, nil
}

// checked returns p if it passes Check, else the zero Phone and the error.
func (p Phone) checked(field string, v Validation) (Phone, error) {
	if err := p.Check(field, v); err != nil {
		return Phone{}, err
	}
	return p, nil
}

// readPhone reads number, made of digits and perhaps a leading "+", in
// region.
func readPhone(number, region, field string) (Phone, error) {
	if p, ok := readPlain(number, region); ok {
		return p, nil
	}
	n, err := phonenumbers.Parse(number, region)
	if err != nil {
		return Phone{}, errs.New(errs.Invalid, field, "%s", parseProblem(err))
	}
	return Phone{CountryCode: int(n.GetCountryCode()), National: phonenumbers.GetNationalSignificantNumber(n)}, nil
}

// parseProblem says what a phonenumbers parse error means for the person who typed the number.
func parseProblem(err error) string {
	switch err {
	case phonenumbers.ErrInvalidCountryCode:
		return "has an unknown country code"
	case phonenumbers.ErrTooShortNSN, phonenumbers.ErrTooShortAfterIDD:
		return "is too short"
	case phonenumbers.ErrNumTooLong:
		return "is too long"
	default:
		return "is not a phone number"
	}
}

// numberingArea names where country calling code cc is used, for messages:
// "region CN", or "country code +1" when it serves several regions or none.
func numberingArea(cc int) string {
	if regions := phonenumbers.GetRegionCodesForCountryCode(cc); len(regions) == 1 && len(regions[0]) == 2 {
		return "region " + regions[0]
	}
	return "country code +" + strconv.Itoa(cc)
}

// allDigits reports whether s consists of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
