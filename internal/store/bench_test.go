package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/store"
)

func staffRows(hospital int64, n int) []store.StaffRow {
	rows := make([]store.StaffRow, n)
	for i := range rows {
		rows[i] = store.StaffRow{HospitalID: hospital, StaffType: "nurse", EmployeeID: fmt.Sprintf("RN-B-%05d", i),
			FirstName: "Sara", LastName: "Ali", FirstNameAr: "سارة", LastNameAr: "علي", Gender: "female",
			Email: ptr(fmt.Sprintf("n%d@b.sa", i)), Key: fmt.Sprintf("B/nurse/%d", i)}
	}
	return rows
}

// BenchmarkInsertStaff10k compares InsertStaff, in one transaction and in
// apply's transactions of 500 rows, with a plain COPY of the same 10,000
// rows.
func BenchmarkInsertStaff10k(b *testing.B) {
	ctx := context.Background()
	db := migrated(b)
	var hospital int64
	if err := db.Pool().QueryRow(ctx, `INSERT INTO hospitals (code) VALUES ('B') RETURNING id`).Scan(&hospital); err != nil {
		b.Fatal(err)
	}
	rows := staffRows(hospital, 10000)
	b.Run("InsertStaff", func(b *testing.B) {
		for b.Loop() {
			exec(b, db, `TRUNCATE staff`)
			inTx(b, db, func(tx *store.Tx) error { _, err := tx.InsertStaff(rows); return err })
		}
	})
	for _, size := range []int{500, 2000} {
		b.Run(fmt.Sprintf("InsertStaff/batches-of-%d", size), func(b *testing.B) {
			for b.Loop() {
				exec(b, db, `TRUNCATE staff`)
				for start := 0; start < len(rows); start += size {
					batch := rows[start:min(start+size, len(rows))]
					inTx(b, db, func(tx *store.Tx) error { _, err := tx.InsertStaff(batch); return err })
				}
			}
		})
	}
	b.Run("COPY", func(b *testing.B) {
		for b.Loop() {
			exec(b, db, `TRUNCATE staff`)
			_, err := db.Pool().CopyFrom(ctx, pgx.Identifier{"staff"},
				[]string{"hospital_id", "staff_type", "employee_id", "first_name", "last_name", "first_name_ar",
					"last_name_ar", "gender", "email", "staffseed_key"},
				pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
					r := rows[i]
					return []any{r.HospitalID, r.StaffType, r.EmployeeID, r.FirstName, r.LastName, r.FirstNameAr,
						r.LastNameAr, r.Gender, r.Email, r.Key}, nil
				}))
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
