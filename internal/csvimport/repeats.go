package csvimport

import (
	"fmt"
	"hash/maphash"
	"slices"
)

// Repeats finds the rows of a file that repeat the email or the mobile
// number of an earlier row. It keeps 8 bytes for each address and number,
// not the values, so that a million-row file costs 16 MB; a hash that
// repeats is confirmed by reading the file again and comparing the values.
// The hashes are spread over buckets by their first byte, so that no slice
// grows large enough for its copies to matter.
type Repeats struct {
	hash    func(string) uint64
	buckets [256][]uint64
}

// NewRepeats returns an empty Repeats.
func NewRepeats() *Repeats {
	seed := maphash.MakeSeed()
	return &Repeats{hash: func(s string) uint64 { return maphash.String(seed, s) }}
}

// Add notes the email and mobile number of a row, good or bad, where it has
// them. An email holds an @ and a number in E.164 form never does, so the
// two share one set.
func (r *Repeats) Add(row Row) {
	eachKey(row, func(k key) {
		h := r.hash(k.value)
		r.buckets[h>>56] = append(r.buckets[h>>56], h)
	})
}

// Problems calls report with a problem for each row that repeats an earlier
// row's email or number, in line order, reading f again if any hash
// repeats. A file of a million repeats makes a million calls, not a slice.
func (r *Repeats) Problems(f *File, report func(Problem)) error {
	suspect := map[uint64]bool{}
	for i, b := range r.buckets {
		slices.Sort(b)
		for j := 1; j < len(b); j++ {
			if b[j] == b[j-1] {
				suspect[b[j]] = true
			}
		}
		r.buckets[i] = nil
	}
	if len(suspect) == 0 {
		return nil
	}
	rd, _, err := f.rows()
	if err != nil {
		return err
	}
	first := map[string]int{} // line of the first row with each suspect value
	return parseChunks(rd, checkChunk, (*reader).row, func(items []item[Row], _ bool) error {
		for _, it := range items {
			eachKey(it.v, func(k key) {
				if !suspect[r.hash(k.value)] {
					return
				}
				if line, seen := first[k.value]; seen {
					report(Problem{Line: it.v.Line, Column: colNames[k.col], Reason: k.repeats(line)})
				} else {
					first[k.value] = it.v.Line
				}
			})
		}
		return nil
	})
}

// key is a value of a row that no other row may repeat.
type key struct {
	col   int
	value string
}

// eachKey calls fn with the row's email and mobile number, where it has them.
func eachKey(row Row, fn func(key)) {
	if !row.Email.IsZero() {
		fn(key{colEmail, row.Email.Normalized})
	}
	if !row.Mobile.IsZero() {
		fn(key{colMobile, row.Mobile.E164()})
	}
}

// repeats says that the key repeats the one on line.
func (k key) repeats(line int) string {
	what := "number"
	if k.col == colEmail {
		what = "address"
	}
	return fmt.Sprintf("repeats the %s on line %d", what, line)
}
