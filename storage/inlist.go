package storage

// inListMax is the most values one IN list holds.
const inListMax = BatchRows * 4

// anys returns values as statement arguments.
func anys(values []string) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}
