package plan

import "testing"

// TestAccountRoles checks that a managed account is planned to hold exactly
// the spec's role, and that an account staffseed did not create only gains
// the role it lacks.
func TestAccountRoles(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	first, err := Make(sp, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		managed bool
		roles   []string
		want    string // planned roles; "" for no change
		wantWhy string
	}{
		{"exactly the role", true, []string{"staff"}, "", ""},
		{"other role", true, []string{"doctor"}, "staff", `role "staff" not granted`},
		{"extra role", true, []string{"doctor", "staff"}, "staff", `roles other than "staff" granted`},
		{"no role", true, nil, "staff", `role "staff" not granted`},
		{"unmanaged with the role", false, []string{"admin", "staff"}, "", ""},
		{"unmanaged without it", false, []string{"admin"}, "admin,staff", `role "staff" not granted`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := converged(t, first)
			i := len(st.Users) - 1 // the admin, whose role is "staff"
			if st.Users[i].Roles[0] != "staff" {
				t.Fatalf("admin's role: %v", st.Users[i].Roles)
			}
			st.Users[i].Roles, st.Users[i].Managed = tc.roles, tc.managed
			p, err := Make(sp, st, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if !p.Empty() {
					t.Fatalf("want no changes, got %+v", p.Changes[0])
				}
				return
			}
			if len(p.Changes) != 1 || p.Changes[0].Resource != User || p.Changes[0].Action != Update {
				t.Fatalf("want one account update, got %+v", p.Changes)
			}
			c := p.Changes[0]
			if got := c.After.(*UserAttrs).Role; got != tc.want || c.Cause != tc.wantWhy {
				t.Errorf("roles → %q (%s), want %q (%s)", got, c.Cause, tc.want, tc.wantWhy)
			}
		})
	}
}
