package contact

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// nationalPrefixes is what a region's national numbers may begin with that
// makes phonenumbers.Parse read more than the digits as they stand.
type nationalPrefixes struct {
	countryCode int
	code        string         // countryCode in digits: Parse may take it as the number's own
	start       *regexp.Regexp // an international prefix, or a national prefix or carrier code Parse strips
}

// regionPrefixes holds the nationalPrefixes of every region phonenumbers
// knows, read from the metadata its parser uses.
var regionPrefixes = sync.OnceValue(func() map[string]nationalPrefixes {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil // no region then takes the short way; Parse reads every number
	}
	prefixes := map[string]nationalPrefixes{}
	for _, m := range coll.GetMetadata() {
		if !ValidRegion(m.GetId()) {
			continue // the non-geographic entities, such as +800, have no national numbers
		}
		start := "(?:" + m.GetInternationalPrefix() + ")"
		if p := m.GetNationalPrefixForParsing(); p != "" {
			start += "|(?:" + p + ")"
		}
		re, err := regexp.Compile("^(?:" + start + ")")
		if err != nil {
			continue
		}
		cc := int(m.GetCountryCode())
		prefixes[m.GetId()] = nationalPrefixes{countryCode: cc, code: strconv.Itoa(cc), start: re}
	}
	return prefixes
})

// readNational reads number, national digits, as phonenumbers.Parse reads
// it in region, without Parse's regular expressions for extensions and
// viability, which cost most of a parse. It does so only where Parse keeps
// the digits as they stand: when number begins with none of the region's
// international prefix, its country calling code, or what the region strips
// as a national prefix or carrier code. For any other number, ok is false
// and the caller must parse.
func readNational(number, region string) (p Phone, ok bool) {
	r, known := regionPrefixes()[region]
	if !known || len(number) < phonenumbers.MIN_LENGTH_FOR_NSN || len(number) > phonenumbers.MAX_LENGTH_FOR_NSN ||
		!allDigits(number) || strings.HasPrefix(number, r.code) || r.start.MatchString(number) {
		return Phone{}, false
	}
	return Phone{CountryCode: r.countryCode, National: number}, true
}
