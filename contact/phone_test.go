package contact_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
)

const field = "mobile"

var phoneTests = []struct {
	text, region string
	v            contact.Validation
	want         contact.Phone
}{
	// The forms in the project's seed documents.
	{"15204130006", "CN", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130006"}},
	{"+86-15204130007", "CN", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"+8615204130007", "", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"+86 152 0413 0007", "", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"0086 15204130007", "CN", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"  (+86) 152.0413.0007 ", "US", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"(0755) 1234 5678", "CN", contact.Valid, contact.Phone{CountryCode: 86, National: "75512345678"}},
	// Elsewhere.
	{"+1 650-253-0000", "", contact.Valid, contact.Phone{CountryCode: 1, National: "6502530000"}},
	{"(650) 253-0000", "US", contact.Valid, contact.Phone{CountryCode: 1, National: "6502530000"}},
	{"011 86 15204130007", "US", contact.Valid, contact.Phone{CountryCode: 86, National: "15204130007"}},
	{"020 7946 0018", "GB", contact.Valid, contact.Phone{CountryCode: 44, National: "2079460018"}},
	{"+44 (0)20 7946 0018", "", contact.Valid, contact.Phone{CountryCode: 44, National: "2079460018"}},
	{"+39 06 6982 0000", "", contact.Valid, contact.Phone{CountryCode: 39, National: "0669820000"}},
	{"06 4991 0000", "IT", contact.Valid, contact.Phone{CountryCode: 39, National: "0649910000"}},
	{"+800 1234 5678", "", contact.Valid, contact.Phone{CountryCode: 800, National: "12345678"}},
	// Possible mode takes numbers of a possible length that are not valid.
	{"+86 12345678901", "", contact.Possible, contact.Phone{CountryCode: 86, National: "12345678901"}},
	{"+44 7700 900123", "", contact.Possible, contact.Phone{CountryCode: 44, National: "7700900123"}},
}

func TestParsePhone(t *testing.T) {
	for _, tt := range phoneTests {
		got, err := contact.ParsePhone(tt.text, tt.region, field, tt.v)
		if err != nil || got != tt.want {
			t.Errorf("ParsePhone(%q, %q, %v) = %+v, %v; want %+v", tt.text, tt.region, tt.v, got, err, tt.want)
		}
	}
}

var phoneErrorTests = []struct {
	text, region string
	v            contact.Validation
	field, msg   string
}{
	{"", "CN", contact.Valid, field, "is required"},
	{" \t ", "CN", contact.Valid, field, "is required"},
	{strings.Repeat("1", 65), "CN", contact.Valid, field, "is too long"},
	{"+1 " + strings.Repeat("2", 62), "", contact.Possible, field, "is too long"},
	{"1-800-FLOWERS", "US", contact.Possible, field, "must not contain letters"},
	{"+1 650 253 0000 ext. 12", "", contact.Valid, field, "must not contain letters"},
	{"tel:+8615204130007", "", contact.Valid, field, "must not contain letters"},
	{"+86 152 0413 0007 #12", "", contact.Valid, field, "may contain only digits"},
	{"１５２０４１３０００６", "CN", contact.Valid, field, "may contain only digits"},
	{"152+0413", "CN", contact.Valid, field, "+ only before the country code"},
	{"++8615204130007", "", contact.Valid, field, "+ only before the country code"},
	{"(-)", "CN", contact.Valid, field, "contains no digits"},
	{"+", "", contact.Valid, field, "contains no digits"},
	{"15204130006", "", contact.Valid, field, "has no country code; write it as +<country code> <number>"},
	{"15204130006", "XX", contact.Valid, "region", "not a known region code"},
	{"+8615204130007", "cn", contact.Valid, "region", "not a known region code"},
	{"+999 1234 5678", "", contact.Possible, field, "unknown country code"},
	{"+86 1", "", contact.Possible, field, "is too short"},
	{"+86 123", "", contact.Valid, field, "is not a valid phone number for region CN"},
	{"+86 12345678901", "", contact.Valid, field, "is not a valid phone number for region CN"},
	{"+86 123", "", contact.Possible, field, "has the wrong number of digits for region CN"},
	{"+1 202 555 01", "", contact.Valid, field, "is not a valid phone number for country code +1"},
}

func TestParsePhoneErrors(t *testing.T) {
	for _, tt := range phoneErrorTests {
		got, err := contact.ParsePhone(tt.text, tt.region, field, tt.v)
		checkErr(t, "ParsePhone("+tt.text+")", got.IsZero(), err, tt.field, tt.msg)
	}
}

func TestPhoneFromParts(t *testing.T) {
	tests := []struct {
		area, number string
		v            contact.Validation
		want         [2]string
	}{
		{"86", "13888888888", contact.Valid, [2]string{"86", "13888888888"}},
		{"+86", "138 8888 8888", contact.Valid, [2]string{"86", "13888888888"}},
		{" 44 ", "020 7946 0018", contact.Valid, [2]string{"44", "2079460018"}},
		{"1", "(650) 253-0000", contact.Valid, [2]string{"1", "6502530000"}},
		{"39", "06 6982 0000", contact.Valid, [2]string{"39", "0669820000"}},
		{"86", "12345678901", contact.Possible, [2]string{"86", "12345678901"}},
	}
	for _, tt := range tests {
		got, err := contact.PhoneFromParts(tt.area, tt.number, field, tt.v)
		if err != nil || got.Parts() != tt.want {
			t.Errorf("PhoneFromParts(%q, %q) = %v, %v; want %v", tt.area, tt.number, got.Parts(), err, tt.want)
		}
	}
}

func TestPhoneFromPartsErrors(t *testing.T) {
	tests := []struct {
		area, number string
		field, msg   string
	}{
		{"", "13888888888", "area_code", "is required"},
		{"+", "13888888888", "area_code", "1 to 3 digits"},
		{"8 6", "13888888888", "area_code", "1 to 3 digits"},
		{"1234", "13888888888", "area_code", "1 to 3 digits"},
		{"CN", "13888888888", "area_code", "1 to 3 digits"},
		{"999", "13888888888", "area_code", "+999 is not a known country calling code"},
		{"0", "13888888888", "area_code", "+0 is not a known country calling code"},
		{"86", "", field, "is required"},
		{"86", "+8613888888888", field, "must not contain a country code; give it in area_code"},
		{"86", "1388888888x", field, "must not contain letters"},
		{"86", "12345678901", field, "is not a valid phone number for region CN"},
	}
	for _, tt := range tests {
		got, err := contact.PhoneFromParts(tt.area, tt.number, field, contact.Valid)
		checkErr(t, "PhoneFromParts("+tt.area+", "+tt.number+")", got.IsZero(), err, tt.field, tt.msg)
	}
}

func TestPhoneForms(t *testing.T) {
	tests := []struct {
		p                        contact.Phone
		e164, dashed, area, zone string
	}{
		{contact.Phone{CountryCode: 86, National: "15204130007"}, "+8615204130007", "+86-15204130007", "86", "CN"},
		{contact.Phone{CountryCode: 1, National: "6502530000"}, "+16502530000", "+1-6502530000", "1", "US"},
		{contact.Phone{CountryCode: 39, National: "0649910000"}, "+390649910000", "+39-0649910000", "39", "IT"},
		{contact.Phone{CountryCode: 800, National: "12345678"}, "+80012345678", "+800-12345678", "800", ""},
		{contact.Phone{CountryCode: 1, National: "0000000000"}, "+10000000000", "+1-0000000000", "1", ""},
		{contact.Phone{}, "", "", "", ""},
	}
	for _, tt := range tests {
		p := tt.p
		if p.E164() != tt.e164 || p.String() != tt.e164 || p.Dashed() != tt.dashed || p.AreaCode() != tt.area ||
			p.Parts() != [2]string{tt.area, p.National} || p.Region() != tt.zone || p.IsZero() != (tt.e164 == "") {
			t.Errorf("%#v: E164 %q, String %q, Dashed %q, AreaCode %q, Parts %q, Region %q, IsZero %v",
				p, p.E164(), p.String(), p.Dashed(), p.AreaCode(), p.Parts(), p.Region(), p.IsZero())
		}
	}
}

func TestParseE164(t *testing.T) {
	for _, tt := range phoneTests {
		if got, err := contact.ParseE164(tt.want.E164()); err != nil || got != tt.want {
			t.Errorf("ParseE164(%q) = %+v, %v; want %+v", tt.want.E164(), got, err, tt.want)
		}
	}
	for _, s := range []string{
		"", "+", "8615204130007", "+86 15204130007", "+86-15204130007", " +8615204130007",
		"+08615204130007", "+0", "+86", "+861", "+9991234567", "+86152041300071234567", "+86１５２", "++8615204130007",
	} {
		got, err := contact.ParseE164(s)
		checkErr(t, "ParseE164("+s+")", got.IsZero(), err, "", "not in canonical E.164 form")
	}
}

func TestValidRegion(t *testing.T) {
	for region, want := range map[string]bool{"CN": true, "US": true, "GB": true, "cn": false, "XX": false, "ZZ": false, "001": false, "": false} {
		if got := contact.ValidRegion(region); got != want {
			t.Errorf("ValidRegion(%q) = %v; want %v", region, got, want)
		}
	}
}

// checkErr reports unless err is an errs.Invalid error on field whose
// message contains msg, and the value returned with it is zero.
func checkErr(t *testing.T, call string, zero bool, err error, field, msg string) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: no error; want %q", call, msg)
	case errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != field || !strings.Contains(err.Error(), msg):
		t.Errorf("%s: error %q (code %q, field %q); want code %q, field %q, message containing %q",
			call, err, errs.CodeOf(err), errs.FieldOf(err), errs.Invalid, field, msg)
	case !zero:
		t.Errorf("%s: non-zero value returned with error %q", call, err)
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, tt := range phoneTests {
		f.Add(tt.text, tt.region, tt.v == contact.Possible)
	}
	for _, tt := range phoneErrorTests {
		f.Add(tt.text, tt.region, tt.v == contact.Possible)
	}
	f.Fuzz(func(t *testing.T, text, region string, possible bool) {
		v := contact.Valid
		if possible {
			v = contact.Possible
		}
		p, err := contact.ParsePhone(text, region, field, v)
		if read, rerr := readThenCheck(text, region, v); fmt.Sprint(read, rerr) != fmt.Sprint(p, err) {
			t.Fatalf("ParsePhone(%q, %q) = %+v, %v, but ReadPhone then Check = %+v, %v", text, region, p, err, read, rerr)
		}
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid || (errs.FieldOf(err) != field && errs.FieldOf(err) != "region") {
				t.Fatalf("ParsePhone(%q, %q): error %#v", text, region, err)
			}
			return
		}
		back, err := contact.ParseE164(p.E164())
		if err != nil || back != p {
			t.Fatalf("ParsePhone(%q, %q) = %+v, but ParseE164(%q) = %+v, %v", text, region, p, p.E164(), back, err)
		}
		// A valid number reads back the same from its E.164 form. (A merely
		// possible one need not: "0000000000" in UY is +598 000000000, but
		// "+598000000000" loses another national prefix 0.)
		if v != contact.Valid {
			return
		}
		again, err := contact.ParsePhone(p.E164(), "", field, v)
		if err != nil || again != p {
			t.Fatalf("ParsePhone(%q, %q) = %+v, but ParsePhone(%q) = %+v, %v", text, region, p, p.E164(), again, err)
		}
	})
}

// readThenCheck reads text with ReadPhone and checks what it reads, as a
// lookup that finds nothing does.
func readThenCheck(text, region string, v contact.Validation) (contact.Phone, error) {
	p, err := contact.ReadPhone(text, region, field)
	if err == nil {
		err = p.Check(field, v)
	}
	if err != nil {
		return contact.Phone{}, err
	}
	return p, nil
}

func TestReadPhoneThenCheck(t *testing.T) {
	for _, tt := range phoneTests {
		if got, err := readThenCheck(tt.text, tt.region, tt.v); err != nil || got != tt.want {
			t.Errorf("ReadPhone then Check(%q, %q) = %+v, %v; want %+v", tt.text, tt.region, got, err, tt.want)
		}
	}
	for _, tt := range phoneErrorTests {
		got, err := readThenCheck(tt.text, tt.region, tt.v)
		checkErr(t, "ReadPhone then Check("+tt.text+")", got.IsZero(), err, tt.field, tt.msg)
	}
	// Read, a number is not yet checked against the numbering plan.
	p, err := contact.ReadPhone("+86 12345678901", "", field)
	if want := (contact.Phone{CountryCode: 86, National: "12345678901"}); err != nil || p != want {
		t.Fatalf("ReadPhone = %+v, %v; want %+v", p, err, want)
	}
	if err := p.Check(field, contact.Possible); err != nil {
		t.Errorf("a number of a possible length: %v", err)
	}
	checkErr(t, "Check", true, p.Check(field, contact.Valid), field, "is not a valid phone number for region CN")
	checkErr(t, "Check", true, contact.Phone{CountryCode: 86, National: "x"}.Check(field, contact.Possible), field, "wrong number of digits")
}

func BenchmarkParsePhone(b *testing.B) {
	for _, bb := range []struct{ name, text, region string }{
		{"national", "15204130006", "CN"},
		{"international", "+86 152 0413 0006", ""},
		{"national-prefix", "(0755) 1234 5678", "CN"}, // read by phonenumbers.Parse
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := contact.ParsePhone(bb.text, bb.region, field, contact.Valid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
