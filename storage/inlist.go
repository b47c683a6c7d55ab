package storage

// inListMax is the most values one IN list holds.
const inListMax = BatchRows * 4

// inShape is the shape of a read of the rows whose column is in a list of
// size values.
type inShape struct {
	column string
	size   int
}

// inListSize is the size of the IN list that holds n values: the next power
// of two, at most inListMax, so that a few statements serve every length.
func inListSize(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return min(size, inListMax)
}

// inListArgs returns values as the arguments of an IN list of their size,
// the last value repeated to fill it.
func inListArgs(values []string) []any {
	args := make([]any, inListSize(len(values)))
	for i := range args {
		args[i] = values[min(i, len(values)-1)]
	}
	return args
}
