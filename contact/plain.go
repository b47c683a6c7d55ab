package contact

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// regionStarts is what a region's national numbers may begin with that
// makes phonenumbers.Parse read more than the digits as they stand.
type regionStarts struct {
	countryCode int
	code        string         // countryCode in digits: Parse may take it as the number's own
	start       *regexp.Regexp // an international prefix, or a national prefix or carrier code Parse strips
}

// prefixes holds, read from the metadata phonenumbers parses with, the
// regionStarts of every region it knows, and for every country calling
// code what Parse strips from the front of a national number written after
// that code: the national prefix or carrier code of the code's main region
// (nil where there is none).
var prefixes = sync.OnceValues(func() (byRegion map[string]regionStarts, byCode map[int]*regexp.Regexp) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, nil // no number then takes the short way; Parse reads them all
	}
	byRegion, byCode = map[string]regionStarts{}, map[int]*regexp.Regexp{}
	for _, m := range coll.GetMetadata() {
		cc, national := int(m.GetCountryCode()), m.GetNationalPrefixForParsing()
		if m.GetId() == phonenumbers.GetRegionCodeForCountryCode(cc) && national != "" {
			byCode[cc] = anchored(national)
		}
		if !ValidRegion(m.GetId()) {
			continue // the non-geographic entities, such as +800, have no national numbers
		}
		start := m.GetInternationalPrefix()
		if national != "" {
			start = "(?:" + start + ")|(?:" + national + ")"
		}
		byRegion[m.GetId()] = regionStarts{countryCode: cc, code: strconv.Itoa(cc), start: anchored(start)}
	}
	return byRegion, byCode
})

// anchored compiles pattern to match only at the start of a string. A
// pattern it cannot compile gives one that matches every string, which
// sends every number it would have judged to Parse.
func anchored(pattern string) *regexp.Regexp {
	re, err := regexp.Compile("^(?:" + pattern + ")")
	if err != nil {
		return regexp.MustCompile("")
	}
	return re
}

// readPlain reads number, digits and perhaps a leading "+", as
// phonenumbers.Parse reads it in region, without Parse's regular
// expressions for extensions and viability, which cost most of a parse
// and which digits always pass. It does so only where Parse keeps the
// national digits as they stand (see readNational and readInternational);
// for any other number ok is false and the caller must parse.
func readPlain(number, region string) (p Phone, ok bool) {
	if digits, found := strings.CutPrefix(number, "+"); found {
		return readInternational(digits)
	}
	return readNational(number, region)
}

// readNational reads national digits that begin with none of their
// region's international prefix, its country calling code, or what it
// strips as a national prefix or carrier code.
func readNational(number, region string) (Phone, bool) {
	byRegion, _ := prefixes()
	r, known := byRegion[region]
	if !known || !nationalLength(number) || strings.HasPrefix(number, r.code) || r.start.MatchString(number) {
		return Phone{}, false
	}
	return Phone{CountryCode: r.countryCode, National: number}, true
}

// readInternational reads the digits after a "+" as ParseE164 does, when
// the national number does not begin with what the country calling code's
// main region strips as a national prefix or carrier code.
func readInternational(digits string) (Phone, bool) {
	p, ok := e164Digits(digits)
	_, byCode := prefixes()
	if re := byCode[p.CountryCode]; !ok || re != nil && re.MatchString(p.National) {
		return Phone{}, false
	}
	return p, true
}

// nationalLength reports whether s is digits of a length a national
// significant number may have.
func nationalLength(s string) bool {
	return len(s) >= phonenumbers.MIN_LENGTH_FOR_NSN && len(s) <= phonenumbers.MAX_LENGTH_FOR_NSN && allDigits(s)
}
