package storagetest

// A differential check of SearchMembers: random filters on random members,
// against the reference evaluation in search_eval.go.

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// randomBits are what random texts are made of: letters in both cases,
// letters that fold in Unicode only, and the special characters of LIKE
// and GLOB, so that comparisons often match and escaping matters.
var randomBits = []string{"a", "A", "b", "É", "é", "%", "_", `\`, "*", "?", "[", "]", " "}

// randomBitsText returns up to three random bits, "" a quarter of the time.
func randomBitsText(r *rand.Rand) string {
	s := ""
	for range r.IntN(4) {
		s += randomBits[r.IntN(len(randomBits))]
	}
	return s
}

// randomMember returns member i of team a with random attributes.
func randomMember(r *rand.Rand, i int) scimMember {
	text := func() string { return randomBitsText(r) }
	statuses := []team.MemberStatus{team.MemberActive, team.MemberActive, team.MemberPending, team.MemberSuspended, team.MemberRemoved}
	m := scimMember{id: fmt.Sprintf("r%02d", i), status: statuses[r.IntN(len(statuses))], created: r.IntN(5), updated: r.IntN(6) - 1,
		profile: user.Profile{LoginName: text(), ExternalID: text(), FirstName: text(), MiddleName: text(), LastName: text(), DisplayName: text(),
			JobTitle: text(), Department: text(), EmployeeID: text(), ManagerID: text(), Phone: text()}}
	if r.IntN(4) > 0 {
		m.mail = fmt.Sprintf("m%02d%s", i, []string{"a", "b", "ab"}[r.IntN(3)])
	}
	return m
}

// randomFilter returns a random filter of at most depth levels.
func randomFilter(r *rand.Rand, depth int) team.Filter {
	if depth > 0 && r.IntN(3) == 0 {
		subs := make([]team.Filter, 2+r.IntN(2))
		for i := range subs {
			subs[i] = randomFilter(r, depth-1)
		}
		switch r.IntN(3) {
		case 0:
			return notF(subs[0])
		case 1:
			return andF(subs...)
		}
		return orF(subs...)
	}
	a := team.Attr(1 + r.IntN(int(team.AttrUserName)))
	switch n := r.IntN(12); {
	case n == 0:
		return constF(r.IntN(2) == 0)
	case n == 1:
		return prF(a)
	case a.Kind() == team.KindBool:
		return cmpF(a, team.Cmp(1+r.IntN(2)), r.IntN(2) == 0)
	case a.Kind() == team.KindTime:
		cmps := []team.Cmp{team.CmpEq, team.CmpNe, team.CmpGt, team.CmpGe, team.CmpLt, team.CmpLe}
		return cmpF(a, cmps[r.IntN(len(cmps))], at(r.IntN(6)-1).Add(time.Duration(r.IntN(2))*time.Nanosecond))
	}
	v := randomBitsText(r)
	if a == team.AttrEmail && r.IntN(2) == 0 {
		v = fmt.Sprintf("M%02dA", r.IntN(20))
	}
	return cmpF(a, team.Cmp(1+r.IntN(int(team.CmpEw))), v)
}

func testSearchMembersRandom(t *testing.T, s storage.Store) {
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 1))
	var fixtures []scimMember
	for i := range 40 {
		fixtures = append(fixtures, randomMember(r, i))
	}
	all := seedSearch(t, s, fixtures)
	for i := range randomCases(300) {
		f := randomFilter(r, 3)
		q := team.MemberQuery{Filter: &f, Sort: searchSorts[r.IntN(len(searchSorts))], Desc: r.IntN(2) == 0, Limit: 100}
		want := searched(all, q)
		got, n := search(t, s, q)
		if d := diff(userIDs(got), userIDs(want)); d != "" || n != len(want) {
			t.Fatalf("seed %d, filter %d %+v, sort %d desc %v: total %d, want %d: %s", seed, i, f, q.Sort, q.Desc, n, len(want), d)
		}
	}
}
