package apply

import (
	"sort"
	"strings"

	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// roleChanges gathers the role changes of a batch of account updates, by
// role: accounts that get a role as their only one, and accounts that
// gain roles and keep theirs.
type roleChanges struct {
	set, grant map[string][]int64
}

// add records the change of an account's roles from before's to u's.
// One planned role replaces the account's; several (an account staffseed
// did not create keeps its own) are granted where missing.
func (r *roleChanges) add(before any, u *plan.UserAttrs) {
	if r.set == nil {
		r.set, r.grant = map[string][]int64{}, map[string][]int64{}
	}
	roles := strings.Split(u.Role, ",")
	if len(roles) == 1 {
		r.set[u.Role] = append(r.set[u.Role], u.ID)
		return
	}
	had := map[string]bool{}
	if b, ok := before.(*plan.UserAttrs); ok {
		for _, role := range strings.Split(b.Role, ",") {
			had[role] = true
		}
	}
	for _, role := range roles {
		if !had[role] {
			r.grant[role] = append(r.grant[role], u.ID)
		}
	}
}

// write carries the role changes out: a statement per role.
func (r *roleChanges) write(tx *store.Tx) error {
	for _, role := range sortedKeys(r.set) {
		if err := tx.SetRole(r.set[role], role); err != nil {
			return err
		}
	}
	for _, role := range sortedKeys(r.grant) {
		if err := tx.GrantRole(r.grant[role], role); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string][]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
