package contact

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// parsed is what readPhone made of digits in region before readNational:
// phonenumbers.Parse's reading.
func parsed(digits, region string) (Phone, error) {
	n, err := phonenumbers.Parse(digits, region)
	if err != nil {
		return Phone{}, err
	}
	return Phone{CountryCode: int(n.GetCountryCode()), National: phonenumbers.GetNationalSignificantNumber(n)}, nil
}

// agree fails t if readNational reads digits in region other than Parse
// does, and reports whether it read them.
func agree(t testing.TB, digits, region string) bool {
	got, ok := readNational(digits, region)
	if !ok {
		return false
	}
	if want, err := parsed(digits, region); err != nil || got != want {
		t.Errorf("readNational(%q, %q) = %+v; Parse gives %+v, %v", digits, region, got, want, err)
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

// nationalSamples returns digit strings to read in region: its example
// numbers of every type, each also behind what a number there may begin
// with (its national prefix, its country calling code, an international
// prefix), and random digits of every length, after every two-digit start.
func nationalSamples(region string, rng *rand.Rand) []string {
	cc := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	ndd := phonenumbers.GetNddPrefixForRegion(region, true)
	var out []string
	for typ := phonenumbers.FIXED_LINE; typ <= phonenumbers.VOICEMAIL; typ++ {
		ex := phonenumbers.GetExampleNumberForType(region, typ)
		if ex == nil {
			continue
		}
		nsn := phonenumbers.GetNationalSignificantNumber(ex)
		for _, pre := range []string{"", ndd, cc, cc + ndd, "0", "00", "1", "8", "011", "810"} {
			out = append(out, pre+nsn, pre+nsn[:len(nsn)-1], pre+nsn+"0")
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
		for range 4 {
			out = append(out, digits(n))
		}
	}
	for start := range 100 {
		out = append(out, strconv.Itoa(100 + start)[1:]+digits(4+rng.IntN(9)))
	}
	return out
}

// TestReadNationalAgreesWithParse checks that readNational, where it reads
// a number at all, reads it as phonenumbers.Parse does, in every region.
func TestReadNationalAgreesWithParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 10))
	read, all := 0, 0
	for _, region := range regions() {
		for _, digits := range nationalSamples(region, rng) {
			all++
			if agree(t, digits, region) {
				read++
			}
		}
	}
	t.Logf("readNational read %d of %d samples; Parse read the rest", read, all)
	if read < all/4 {
		t.Errorf("readNational read only %d of %d samples", read, all)
	}
}

func TestReadNationalLeavesPrefixesToParse(t *testing.T) {
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
		{"+8615204130006", "CN", false},
		{"15204130006", "", false},
		{"15204130006", "XX", false},
		{"1", "CN", false},
		{"123456789012345678", "DE", false},
		{"152O4130006", "CN", false},
	} {
		if got := agree(t, tt.digits, tt.region); got != tt.read {
			t.Errorf("readNational(%q, %q) read it: %v; want %v", tt.digits, tt.region, got, tt.read)
		}
	}
}

func FuzzReadNational(f *testing.F) {
	f.Add(uint16(0), "15204130006")
	f.Add(uint16(40), "0669820000")
	f.Add(uint16(200), "16502530000")
	rs := regions()
	f.Fuzz(func(t *testing.T, region uint16, digits string) {
		agree(t, digits, rs[int(region)%len(rs)])
	})
}
