package store

import (
	"errors"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// HospitalIDs returns the ids of the hospitals with the given codes.
func (tx *Tx) HospitalIDs(codes []string) (map[string]int64, error) {
	rows, err := tx.tx.Query(tx.ctx, `SELECT code, id FROM hospitals WHERE code = ANY($1::text[])`, codes)
	if err != nil {
		return nil, dbError("look up hospitals", err)
	}
	out := map[string]int64{}
	var code string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&code, &id}, func() error {
		out[code] = id
		return nil
	})
	if err != nil {
		return nil, dbError("look up hospitals", err)
	}
	return out, nil
}

// DepartmentIDs returns, per hospital id, the ids of its departments by
// name.
func (tx *Tx) DepartmentIDs(hospitalIDs []int64) (map[int64]map[string]int64, error) {
	rows, err := tx.tx.Query(tx.ctx, `SELECT hospital_id, name, id FROM departments
		WHERE hospital_id = ANY($1::bigint[]) ORDER BY id`, hospitalIDs)
	if err != nil {
		return nil, dbError("look up departments", err)
	}
	out := map[int64]map[string]int64{}
	var hid, id int64
	var name string
	_, err = pgx.ForEachRow(rows, []any{&hid, &name, &id}, func() error {
		if out[hid] == nil {
			out[hid] = map[string]int64{}
		}
		if _, seen := out[hid][name]; !seen {
			out[hid][name] = id
		}
		return nil
	})
	if err != nil {
		return nil, dbError("look up departments", err)
	}
	return out, nil
}

// UpdateDepartments sets name and name_ar of departments by id.
func (tx *Tx) UpdateDepartments(rows []DepartmentRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, names, namesAr := make([]int64, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, d := range rows {
		ids[i], names[i], namesAr[i] = d.ID, d.Name, d.NameAr
	}
	_, err := tx.exec("update departments", `UPDATE departments d SET name = t.name, name_ar = t.name_ar
		FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, name, name_ar) WHERE d.id = t.id`,
		ids, names, namesAr)
	return err
}

// IsConnectionError reports whether err means the database connection was
// lost or could not be had, as opposed to a statement failing: retrying
// record by record cannot help then.
func IsConnectionError(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-03: admin shutdown, crash, cannot connect now.
		return len(pgErr.Code) == 5 && (pgErr.Code[:2] == "08" || pgErr.Code[:3] == "57P")
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	return pgconn.SafeToRetry(err) || errors.Is(err, net.ErrClosed)
}
