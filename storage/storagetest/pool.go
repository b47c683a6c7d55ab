package storagetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/storage"
)

// schemas is the process's pool of migrated Postgres schemas.
var schemas schemaPool

// schemaPool hands out migrated schemas of one database, one test at a
// time each, and takes them back emptied. Its schemas are named
// pool_PID_N: a process drops those of processes that are gone when it
// first uses the pool, since a process cannot drop its own on exit.
type schemaPool struct {
	mu    sync.Mutex
	admin *storage.DB // on the database itself; open until the process ends
	free  []string
	made  int
}

// take returns a schema for tb alone, empty or new, and gives it back
// when tb ends, after the stores opened on it have closed.
func (p *schemaPool) take(tb testing.TB, u *url.URL) string {
	tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	ctx := context.Background()
	if p.admin == nil {
		admin, err := storage.Open(ctx, u.String())
		if err == nil {
			err = PrepareDatabase(ctx, admin)
		}
		if err != nil {
			tb.Fatalf("open Postgres: %v", err)
		}
		p.admin = admin
		p.dropStale(tb)
	}
	var schema string
	if n := len(p.free); n > 0 {
		schema, p.free = p.free[n-1], p.free[:n-1]
	} else {
		p.made++
		schema = fmt.Sprintf("pool_%d_%d", os.Getpid(), p.made)
		if _, err := p.admin.Bun().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			tb.Fatalf("create schema %s: %v", schema, err)
		}
	}
	tb.Cleanup(func() { p.give(tb, schema) })
	return schema
}

// give empties schema, keeping what the migrations recorded, and puts it
// back in the pool; a schema that cannot be emptied is dropped. DELETE
// with the foreign keys' triggers off takes a few milliseconds where
// TRUNCATE, which makes new files for every table, takes a quarter of a
// second.
func (p *schemaPool) give(tb testing.TB, schema string) {
	if err := p.empty(schema); err != nil {
		tb.Errorf("empty schema %s: %v", schema, err)
		p.admin.Bun().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		return
	}
	p.mu.Lock()
	p.free = append(p.free, schema)
	p.mu.Unlock()
}

// empty deletes every row of schema but the migrator's, and starts its
// sequences again.
func (p *schemaPool) empty(schema string) error {
	ctx := context.Background()
	return p.admin.Bun().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var tables, sequences []string
		err := tx.NewRaw("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = ? "+
			"AND tablename NOT IN ('identity_migrations', 'identity_migration_locks')", schema).Scan(ctx, &tables)
		if err == nil {
			err = tx.NewRaw("SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = ?", schema).Scan(ctx, &sequences)
		}
		if err != nil {
			return err
		}
		stmts := []string{"SET LOCAL lock_timeout = '10s'", "SET LOCAL session_replication_role = replica"}
		for _, t := range tables {
			stmts = append(stmts, "DELETE FROM "+schema+"."+t)
		}
		for _, s := range sequences {
			stmts = append(stmts, "ALTER SEQUENCE "+schema+"."+s+" RESTART")
		}
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// dropStale drops the pooled schemas of processes that no longer run.
func (p *schemaPool) dropStale(tb testing.TB) {
	ctx := context.Background()
	var names []string
	if err := p.admin.Bun().NewRaw(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pool\_%'`).Scan(ctx, &names); err != nil {
		tb.Fatalf("list pooled schemas: %v", err)
	}
	for _, name := range names {
		pid, err := strconv.Atoi(strings.Split(name, "_")[1])
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue
		}
		if _, err := p.admin.Bun().ExecContext(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			tb.Logf("drop stale schema %s: %v", name, err)
		}
	}
}
