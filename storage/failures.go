package storage

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

type failureRow struct {
	bun.BaseModel `bun:"table:failures,alias:f"`

	Key         string    `bun:"key,pk"`
	Address     string    `bun:"address,pk"`
	Count       int       `bun:"count"`
	WindowStart time.Time `bun:"window_start"`
}

func (t *tx) Failures(ctx context.Context, key, address string) (Failures, error) {
	var r failureRow
	err := t.db.NewSelect().Model(&r).Where("f.key = ? AND f.address = ?", key, address).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Failures{}, nil
	}
	if err != nil {
		return Failures{}, t.d.fail("get failures", err, "")
	}
	return Failures{Count: r.Count, WindowStart: r.WindowStart.UTC()}, nil
}

func (t *tx) RecordFailure(ctx context.Context, key, address string, at, windowStartsAfter time.Time) (Failures, error) {
	at, after := dbTime(at), dbTime(windowStartsAfter)
	r := &failureRow{Key: key, Address: address, Count: 1, WindowStart: at}
	_, err := t.db.NewInsert().Model(r).
		On("CONFLICT (key, address) DO UPDATE").
		Set("count = CASE WHEN f.window_start > ? THEN f.count + 1 ELSE 1 END", after).
		Set("window_start = CASE WHEN f.window_start > ? THEN f.window_start ELSE ? END", after, at).
		Returning("count, window_start").Exec(ctx)
	if err != nil {
		return Failures{}, t.d.fail("record failure", err, "")
	}
	return Failures{Count: r.Count, WindowStart: r.WindowStart.UTC()}, nil
}

func (t *tx) ClearFailures(ctx context.Context, key, address string) error {
	q := t.db.NewDelete().Model((*failureRow)(nil)).Where("key = ? AND address = ?", key, address)
	return t.deleteRows(ctx, "clear failures", q)
}
