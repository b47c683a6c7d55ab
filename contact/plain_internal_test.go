package contact

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// parsed is what readPhone made of digits in region before readPlain:
// phonenumbers.Parse's reading.
func parsed(digits, region string) (Phone, error) {
	n, err := phonenumbers.Parse(digits, region)
	if err != nil {
		return Phone{}, err
	}
	return Phone{CountryCode: int(n.GetCountryCode()), National: phonenumbers.GetNationalSignificantNumber(n)}, nil
}

// agree fails t if readPlain reads digits in region other than Parse
// does, and reports whether it read them.
func agree(t testing.TB, digits, region string) bool {
	got, ok := readPlain(digits, region)
	if !ok {
		return false
	}
	if want, err := parsed(digits, region); err != nil || got != want {
		t.Errorf("readPlain(%q, %q) = %+v; Parse gives %+v, %v", digits, region, got, want, err)
	}
	return true
}

// regions returns the regions phonenumbers knows, sorted.
func regions() []string {
	var rs []string
	for r := range phonenumbers.GetSupportedRegions() {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

// samples returns digit strings to read in region: its example numbers of
// every type, each also behind what a number there may begin with (its
// national prefix, its country calling code, an international prefix), in
// national and in international form, and random digits of every length,
// after every two-digit start, with and without a "+".
func samples(region string, rng *rand.Rand) []string {
	cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	ndd := phonenumbers.GetNddPrefixForRegion(region, true)
	var out []string
	for typ := phonenumbers.FIXED_LINE; typ <= phonenumbers.VOICEMAIL; typ++ {
		if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
			out = append(out, aroundExample(ex, cc, ndd)...)
		}
	}
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	for n := 1; n <= phonenumbers.MAX_LENGTH_FOR_NSN+1; n++ {
		for range 2 {
			out = append(out, digits(n), "+"+digits(n), "+"+cc+digits(n))
		}
	}
	for start := range 100 {
		out = append(out, strconv.Itoa(100 + start)[1:]+digits(4+rng.IntN(9)))
	}
	return out
}

// aroundExample returns an example number's national significant number
// behind each start a number may have, whole and a digit long, in
// national and in international form.
func aroundExample(ex *phonenumbers.PhoneNumber, cc, ndd string) []string {
	nsn := phonenumbers.GetNationalSignificantNumber(ex)
	var out []string
	for _, pre := range []string{"", ndd, cc, cc + ndd, "0", "00", "1", "8", "011"} {
		for _, n := range []string{pre + nsn, pre + nsn + "0"} {
			out = append(out, n, "+"+cc+n)
		}
	}
	return out
}

// TestReadPlainAgreesWithParse checks that readPlain, where it reads a
// number at all, reads it as phonenumbers.Parse does, in every region and
// for every country calling code that belongs to none.
func TestReadPlainAgreesWithParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 10))
	read, all := 0, 0
	try := func(digits, region string) {
		all++
		if agree(t, digits, region) {
			read++
		}
	}
	for _, region := range regions() {
		for i, digits := range samples(region, rng) {
			in := region
			if digits[0] == '+' && i%2 == 0 {
				in = "" // an international number reads alike without a region
			}
			try(digits, in)
		}
	}
	for code := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		ex := phonenumbers.GetExampleNumberForNonGeoEntity(code)
		if ex == nil {
			continue
		}
		for _, digits := range aroundExample(ex, strconv.Itoa(code), "") {
			try(digits, "")
		}
	}
	t.Logf("readPlain read %d of %d samples; Parse read the rest", read, all)
	if read < all/4 {
		t.Errorf("readPlain read only %d of %d samples", read, all)
	}
}

func TestReadPlainLeavesPrefixesToParse(t *testing.T) {
	for _, tt := range []struct {
		digits, region string
		read           bool
	}{
		{"15204130006", "CN", true},
		{"75512345678", "CN", true},
		{"015204130006", "CN", false},  // national prefix
		{"8615204130006", "CN", false}, // country calling code
		{"0015204130006", "CN", false}, // international prefix
		{"1795815204130006", "CN", false},
		{"6502530000", "US", true},
		{"16502530000", "US", false},
		{"0669820000", "IT", true}, // Italy keeps its leading zero
		{"15204130006", "", false},
		{"15204130006", "XX", false},
		{"1", "CN", false},
		{"123456789012345678", "DE", false},
		{"152O4130006", "CN", false},
		{"+8615204130006", "", true},
		{"+8615204130006", "US", true},
		{"+44 2079460018", "", false},
		{"+442079460018", "", true},
		{"+4402079460018", "", false}, // national prefix after the country code
		{"+80012345678", "", true},
		{"+16502530000", "", true},
		{"+116502530000", "", false},
		{"+0086", "", false},
		{"+86", "", false},
		{"+999123456", "", false}, // no such country calling code
	} {
		if got := agree(t, tt.digits, tt.region); got != tt.read {
			t.Errorf("readPlain(%q, %q) read it: %v; want %v", tt.digits, tt.region, got, tt.read)
		}
	}
}

func FuzzReadPlain(f *testing.F) {
	f.Add(uint16(0), "15204130006")
	f.Add(uint16(40), "0669820000")
	f.Add(uint16(200), "16502530000")
	f.Add(uint16(7), "+4402079460018")
	rs := append(regions(), "")
	f.Fuzz(func(t *testing.T, region uint16, digits string) {
		agree(t, digits, rs[int(region)%len(rs)])
	})
}
