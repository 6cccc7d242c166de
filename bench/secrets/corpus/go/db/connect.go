package db

import (
	"database/sql"

	_ "github.com/lib/pq"
)

const dsn = "postgres://reporting:Wu9wwJtrE9TvvOf_Ri@reporting-db.internal:5432/reporting?sslmode=require"

func Open() (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}
