package user

// SlotsOf exposes a Hasher's semaphore to the external tests.
func SlotsOf(h *Hasher) chan struct{} { return h.slots }
