package storage

import "database/sql"

// tx runs the methods of Tx and Reads inside one transaction, or on the
// database itself for Query. It is used by one goroutine at a time.
type tx struct {
	db   *DB
	sql  *sql.Tx // nil outside a transaction
	lock bool    // lock the rows that locking reads read: inside Write, where the dialect locks rows
	// bound holds the statements bound to the transaction: database/sql
	// keeps each until the transaction ends.
	bound   map[stmtKey]*sql.Stmt
	learned []*prepared // for the store to prepare after the transaction
}
