package storagetest

// The differential case of searches: whatever index serves them, a search
// lists what the plain scan's condition lists.

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// searchRunes are what the differential case writes names, emails and
// searches with: mixed case, LIKE's special characters, FTS5's quote,
// letters whose case folding is not ASCII's, and ideographs.
var searchRunes = []rune(`aAbBcCzZ01 .@%_\"'éÉßẞİıΣσςΩω中文`)

// randomText returns n runes of searchRunes.
func randomText(r *rand.Rand, n int) string {
	b := make([]rune, n)
	for i := range b {
		b[i] = searchRunes[r.IntN(len(searchRunes))]
	}
	return string(b)
}

// searchedText is what a search matches of a member, as the store keeps
// it: the lower-cased full name, a newline and the normalized email, which
// is lower-case too (on SQLite, LIKE folds ASCII letters; on Postgres it
// does not).
func searchedText(m team.Member) string {
	return strings.ToLower(m.Membership.FullName()) + "\n" + m.User.Email.Normalized
}

// testSearchMatchesScan seeds random members in two teams, changes some of
// them, and checks that random searches list, in every order and at any
// page, the members of team a whose searched text contains the lower-cased
// search: the plain scan's LIKE, evaluated here.
func testSearchMatchesScan(t *testing.T, s storage.Store) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	seedTeams(t, s, "a", "b")
	people := seedRandomMembers(t, s, r, 120)
	checkSearches(t, s, r, randomCases(150))
	changeRandomMembers(t, s, r, people)
	checkSearches(t, s, r, randomCases(150))
}

// seedRandomMembers makes n random people members of team a or b, some of
// them removed, and returns them.
func seedRandomMembers(t *testing.T, s storage.Store, r *rand.Rand, n int) []person {
	people := make([]person, n)
	for i := range people {
		p := newUser(randomID(r), randomText(r, 1+r.IntN(8)), randomText(r, 1+r.IntN(8)))
		p.MiddleName = randomText(r, r.IntN(3))
		p.Email = contact.Email{Normalized: strings.ToLower(randomText(r, 1+r.IntN(6))) + "." + p.ID + "@x.example"}
		status := team.MemberActive
		if r.IntN(8) == 0 {
			status = team.MemberRemoved
		}
		seedMember(t, s, []string{"a", "b"}[r.IntN(2)], p, team.RoleMember, status)
		people[i] = p
	}
	return people
}

// randomID returns a user ID of 16 hex digits.
func randomID(r *rand.Rand) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 16)
	for i := range b {
		b[i] = hex[r.IntN(len(hex))]
	}
	return string(b)
}

// changeRandomMembers renames a third of people in their team, changes the
// email of another third, and flips the removed status of a few, so that
// the searches then follow every write that changes what they match.
func changeRandomMembers(t *testing.T, s storage.Store, r *rand.Rand, people []person) {
	write(t, s, func(tx storage.Tx) error {
		for _, p := range people {
			teams, err := tx.Teams(t.Context(), p.ID)
			if err != nil {
				return err
			}
			m := teams[0].Membership
			switch r.IntN(3) {
			case 0:
				m.FirstName, m.LastName = randomText(r, 1+r.IntN(8)), randomText(r, r.IntN(8))
			case 1:
				u, err := tx.User(t.Context(), p.ID)
				if err != nil {
					return err
				}
				u.Email.Normalized = strings.ToLower(randomText(r, 1+r.IntN(6))) + "." + p.ID + "@y.example"
				if err := tx.UpdateUser(t.Context(), u); err != nil {
					return err
				}
			}
			if r.IntN(10) == 0 {
				m.Status = team.MemberRemoved
				if teams[0].Membership.Status == team.MemberRemoved {
					m.Status = team.MemberActive
				}
			}
			if err := tx.UpdateMembership(t.Context(), m); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkSearches runs n random searches of 1 to 6 runes, half of them cut
// from a member's searched text, in a random order, and checks the whole
// list and one random page against the scan's answer.
func checkSearches(t *testing.T, s storage.Store, r *rand.Rand, n int) {
	t.Helper()
	for range n {
		key := team.SortKey(1 + r.IntN(int(team.SortSignupDesc)))
		all, _ := list(t, s, team.ListQuery{Sort: key, Size: team.MaxPageSize})
		search := randomSearch(r, all)
		var want []string
		for _, m := range all {
			if strings.Contains(searchedText(m), strings.ToLower(search)) {
				want = append(want, m.User.ID)
			}
		}
		got, total := list(t, s, team.ListQuery{Search: search, Sort: key, Size: team.MaxPageSize})
		if !slices.Equal(userIDs(got), want) || total != len(want) {
			t.Fatalf("search %q, sort key %d: got %q (total %d), want %q", search, key, userIDs(got), total, want)
		}
		size := 1 + r.IntN(4)
		page := r.IntN(len(want)/size + 2)
		got, total = list(t, s, team.ListQuery{Search: search, Sort: key, Page: page, Size: size})
		wantPage := want[min(page*size, len(want)):min((page+1)*size, len(want))]
		if !slices.Equal(userIDs(got), wantPage) || total != len(want) {
			t.Fatalf("search %q, sort key %d, page %d of %d: got %q (total %d), want %q", search, key, page, size, userIDs(got), total, wantPage)
		}
	}
}

// randomSearch returns 1 to 6 runes, random or cut from the searched text
// of one of ms in random case, without the spaces at its ends, which
// ListQuery.Validate trims.
func randomSearch(r *rand.Rand, ms []team.Member) string {
	n := 1 + r.IntN(6)
	for {
		search := randomText(r, n)
		if len(ms) > 0 && r.IntN(2) == 0 {
			text := []rune(searchedText(ms[r.IntN(len(ms))]))
			from := r.IntN(max(1, len(text)-n))
			search = strings.ToUpper(string(text[from:min(from+n, len(text))]))
		}
		if search = strings.TrimSpace(search); search != "" && !strings.Contains(search, "\n") {
			return search
		}
	}
}
