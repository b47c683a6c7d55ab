package csvimport

// RepeatsHashing returns a Repeats that hashes with h, so that a test can
// make different values collide.
func RepeatsHashing(h func(string) uint64) *Repeats { return &Repeats{hash: h} }
