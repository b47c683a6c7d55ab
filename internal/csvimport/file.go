package csvimport

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
)

// File is a CSV file of members that is read once to check it and again,
// from the start, for each later step of an import.
type File struct {
	src    io.ReadSeeker
	start  int64
	spool  *os.File  // the temporary copy of a source that cannot seek, if any
	linked bool      // the copy still has a name, to remove on Close
	fresh  io.Reader // the source as the first reading copies it, until then
	rules  Rules

	seed    maphash.Seed
	checked struct {
		rows   int
		digest uint64 // of every byte Check read, to tell when the file changed
	}
}

// Rules are what a file's rows are read by, beyond the rules of a member.
type Rules struct {
	Region string             // national mobile numbers are read in it
	Phones contact.Validation // how mobile numbers are checked
	// WeakHashes lets the column password_hash hold a fast digest (MD5,
	// SHA-*, salted or not; see passhash.Hash.Weak), which is unsafe at rest.
	WeakHashes bool
}

// Open returns the file r holds from its current offset, read by rules. A
// reader that cannot seek is copied to a
// temporary file as it is first read, so that the limits that stop the
// check stop the copy too, and later readings read the copy. The copy is
// unlinked at once where the system allows it, so that it cannot outlive
// the import, passwords and all, even if the process dies; elsewhere Close
// removes it.
func Open(r io.Reader, rules Rules) (*File, error) {
	f := &File{rules: rules, seed: maphash.MakeSeed()}
	if rs, ok := r.(io.ReadSeeker); ok {
		if at, err := rs.Seek(0, io.SeekCurrent); err == nil {
			f.src, f.start = rs, at
			return f, nil
		}
	}
	spool, err := os.CreateTemp("", "identity-import-*.csv")
	if err != nil {
		return nil, errs.Wrap("copy the import file", err)
	}
	f.src, f.spool, f.fresh = spool, spool, io.TeeReader(r, spool)
	f.linked = os.Remove(spool.Name()) != nil
	return f, nil
}

// Close closes and removes the temporary copy of the file, if Open made one.
func (f *File) Close() error {
	if f.spool == nil {
		return nil
	}
	err := f.spool.Close()
	if f.linked {
		err = errors.Join(err, os.Remove(f.spool.Name()))
	}
	return err
}

// rows reads the file from the start: its header, then a reader of its
// rows and the digest of the bytes the reader reads.
func (f *File) rows() (*reader, *maphash.Hash, error) {
	in := f.fresh
	if in != nil {
		f.fresh = nil
	} else if _, err := f.src.Seek(f.start, io.SeekStart); err != nil {
		return nil, nil, errs.Wrap("rewind the import file", err)
	} else {
		in = f.src
	}
	h := &maphash.Hash{}
	h.SetSeed(f.seed)
	rd, err := newReader(io.TeeReader(in, h), f.rules)
	return rd, h, err
}

// checkChunk is how many rows Check parses on one goroutine.
const checkChunk = 256

// Check reads every row, calling fn with it and its problems; fn returns an
// error to stop. Check remembers how many rows it read and a digest of the
// bytes, so that Each can tell whether the file changed since. The rows are
// parsed on every core, a few hundred rows ahead of fn.
func (f *File) Check(fn func(Row, []Problem) error) error {
	rd, h, err := f.rows()
	if err != nil {
		return err
	}
	n := 0
	err = parseChunks(rd, checkChunk, (*reader).row, func(items []item[Row], _ bool) error {
		for _, it := range items {
			if err := fn(it.v, it.problems); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err == nil {
		f.checked.rows, f.checked.digest = n, h.Sum64()
	}
	return err
}

// Each reads the file again, after Check found every row good, and calls fn
// with the rows in order, size at a time, while the rows that follow are
// parsed on other goroutines. The file must hold what Check read: if a row
// is bad, the count differs or the bytes do, the file changed and Each stops
// with a conflict, before the last call when it can tell only at the end.
func (f *File) Each(size int, fn func([]Row) error) error {
	return each(f, size, (*reader).row, fn)
}

// Emails is Each for the rows' email addresses alone: it does not read and
// check the other fields again, as Check did and the bytes are the same.
func (f *File) Emails(size int, fn func([]contact.Email) error) error {
	return each(f, size, (*reader).email, fn)
}

func each[T any](f *File, size int, parse func(*reader, int, []string) (T, []Problem), fn func([]T) error) error {
	rd, h, err := f.rows()
	if errs.CodeOf(err) == errs.Invalid {
		return Changed("%s", errs.MessageOf(err))
	}
	if err != nil {
		return err
	}
	want, n := f.checked.rows, 0
	batch := make([]T, 0, size)
	return parseChunks(rd, size, parse, func(items []item[T], atEOF bool) error {
		batch = batch[:0]
		for _, it := range items {
			if len(it.problems) > 0 {
				p := it.problems[0]
				return Changed("line %d, %s: %s", p.Line, p.Column, p.Reason)
			}
			if n++; n > want {
				return Changed("it now has more than %d rows", want)
			}
			batch = append(batch, it.v)
		}
		switch {
		case atEOF && n != want:
			return Changed("it now has %d rows, not %d", n, want)
		case atEOF && h.Sum64() != f.checked.digest:
			return Changed("its bytes differ")
		case len(batch) == 0:
			return nil
		}
		return fn(batch)
	})
}

// Changed is the error of a file that no longer holds the rows Check read;
// the message says how it differs.
func Changed(format string, args ...any) error {
	return errs.New(errs.Conflict, "file", "changed while it was imported (%s); nothing was imported", fmt.Sprintf(format, args...))
}

func unreadable(err error) error {
	return errs.New(errs.Invalid, "file", "could not be read: %v", err)
}
