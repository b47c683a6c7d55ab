package csvimport

import (
	"errors"
	"io"
	"runtime"
	"slices"
)

// An item is one record of a file, parsed: its value, or its problems.
type item[T any] struct {
	v        T
	problems []Problem
}

// A chunk is a run of records read in order, then parsed on a goroutine of
// its own.
type chunk[T any] struct {
	lines []int
	recs  [][]string // nil for a record that is not valid CSV, whose item has its problem
	items []item[T]
	end   error // what stopped the reading after these records, if anything
	done  chan struct{}
}

// parseChunks reads the records of rd in chunks of size and calls fn with
// the items of each chunk in file order; atEOF is true for the last. Reading
// stays on the calling goroutine, so nothing reads the file once parseChunks
// returns. Parsing, the costly part (libphonenumber, mostly), runs on other
// goroutines, as many chunks ahead of fn as there are cores and one more:
// an import's check uses every core, and its writes overlap the parsing of
// the rows that follow. parseChunks returns fn's first error, unreadable for
// a read error, or nil at the end of the file.
func parseChunks[T any](rd *reader, size int, parse func(*reader, int, []string) (T, []Problem), fn func(items []item[T], atEOF bool) error) error {
	ahead := runtime.GOMAXPROCS(0) + 1
	queue := make([]*chunk[T], 0, ahead)
	defer func() {
		for _, c := range queue {
			<-c.done
		}
	}()
	var end error
	for end == nil || len(queue) > 0 {
		for end == nil && len(queue) < ahead {
			c := readChunk[T](rd, size)
			end = c.end
			go c.parse(rd, parse)
			queue = append(queue, c)
		}
		c := queue[0]
		queue = queue[1:]
		<-c.done
		if err := fn(c.items, errors.Is(c.end, io.EOF)); err != nil {
			return err
		}
		if c.end != nil && !errors.Is(c.end, io.EOF) {
			return unreadable(c.end)
		}
	}
	return nil
}

// readChunk reads up to size records, fewer where reading stops.
func readChunk[T any](rd *reader, size int) *chunk[T] {
	c := &chunk[T]{lines: make([]int, 0, size), recs: make([][]string, 0, size), done: make(chan struct{})}
	c.items = make([]item[T], 0, size)
	for len(c.recs) < size {
		line, rec, problems, err := rd.record()
		if err != nil {
			c.end = err
			break
		}
		c.lines, c.recs = append(c.lines, line), append(c.recs, slices.Clone(rec))
		c.items = append(c.items, item[T]{problems: problems})
	}
	return c
}

// parse parses the chunk's valid records and closes done.
func (c *chunk[T]) parse(rd *reader, parse func(*reader, int, []string) (T, []Problem)) {
	defer close(c.done)
	for i, rec := range c.recs {
		if rec != nil {
			c.items[i].v, c.items[i].problems = parse(rd, c.lines[i], rec)
		}
	}
}
