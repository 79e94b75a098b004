package cli

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/px360/staffseed/internal/seedstaff"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
	"github.com/spf13/cobra"
)

// seedStaffFlags are the old seed_staff command's flags, plus the mail
// transport and --emit-spec.
type seedStaffFlags struct {
	hospitalCode          string
	count                 int
	counts                map[spec.StaffType]*int
	createUsers           bool
	sendEmails            bool
	clear, dryRun         bool
	emailBackend          string
	outbox                string
	smtpAllowInsecure     bool
	emitSpec, autoApprove bool
	lock                  lockFlags
}

func newSeedStaffCmd(a *app) *cobra.Command {
	f := seedStaffFlags{counts: map[spec.StaffType]*int{
		spec.Physician: new(int), spec.Nurse: new(int), spec.Admin: new(int),
	}}
	cmd := &cobra.Command{
		Use:   "seed-staff",
		Short: "The old `manage.py seed_staff` command: same flags, same output",
		Long: `Seed physicians, nurses and administrative staff into the hospitals already
in the database, as "python manage.py seed_staff" did: same flags, same
defaults, same output. Change only the program name in your runbooks.

Unlike the old command, running it twice does not double the staff: the run
is turned into a spec (print it with --emit-spec) and goes through the same
planner and applier as "staffseed plan" and "apply". The generated people are
a function of the hospital, staff type, index and a fixed seed, so a second
run converges: it creates nothing, and only sends credentials still pending.
A bigger count adds the new staff; a smaller one removes the highest ones
(with their accounts). --dry-run shows the plan and writes nothing.

--clear removes every staff row of the targeted hospitals that staffseed did
not create; the staff it did create are kept where they match and corrected
where they do not (the old command deleted all staff and created new ones).

Email settings come from the environment names of the Django settings:
EMAIL_HOST, EMAIL_PORT (default 25), EMAIL_USE_TLS (True/true/1: STARTTLS),
EMAIL_USE_SSL (implicit TLS), EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
DEFAULT_FROM_EMAIL (default noreply@px360.local) and SITE_URL (default
http://localhost:8000). Without EMAIL_HOST, --send-emails prints
"⚠ Failed to send email: SMTP server not configured" for each account it
creates and each account whose credentials are still pending from an earlier
run, and ends saying how many are pending (exit status 0); the accounts are
created and their credentials stay pending, so a later run with the settings
sends them. For local use, --email-backend file writes the
emails to --outbox and console prints them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var count *int
			if cmd.Flags().Changed("count") {
				count = &f.count
			}
			own := map[spec.StaffType]*int{}
			for _, t := range spec.StaffTypes {
				if cmd.Flags().Changed(flagOf(t)) {
					own[t] = f.counts[t]
				}
			}
			return a.seedStaff(cmd.Context(), f, seedstaff.ResolveCounts(count, own))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.hospitalCode, "hospital-code", "", "seed only the hospital with this code (default: every hospital in the database)")
	fl.IntVar(&f.count, "count", 0, "sets --physicians, --nurses and --admin-staff at once (a type's own flag wins)")
	fl.IntVar(f.counts[spec.Physician], flagOf(spec.Physician), spec.DefaultCounts[spec.Physician].Count, "physicians per hospital")
	fl.IntVar(f.counts[spec.Nurse], flagOf(spec.Nurse), spec.DefaultCounts[spec.Nurse].Count, "nurses per hospital")
	fl.IntVar(f.counts[spec.Admin], flagOf(spec.Admin), spec.DefaultCounts[spec.Admin].Count, "admin staff per hospital")
	fl.BoolVar(&f.createUsers, "create-users", false, "create user accounts (role staff) for the staff")
	fl.BoolVar(&f.sendEmails, "send-emails", false, "email each new account its credentials (with --create-users)")
	fl.BoolVar(&f.clear, "clear", false, "remove the staff staffseed did not create from the targeted hospitals")
	fl.BoolVar(&f.dryRun, "dry-run", false, "show what would be done; write nothing, send nothing")
	fl.StringVar(&f.emailBackend, "email-backend", "smtp", "where credential emails go: smtp (EMAIL_* settings), file or console")
	fl.StringVar(&f.outbox, "outbox", spec.DefaultOutbox, "folder of the file email backend")
	fl.BoolVar(&f.smtpAllowInsecure, "smtp-allow-insecure", false, "allow an unencrypted SMTP connection to a host that is not local (EMAIL_USE_TLS off)")
	fl.BoolVar(&f.emitSpec, "emit-spec", false, "print the equivalent YAML spec instead of running (for plan -f and apply -f)")
	fl.BoolVar(&f.autoApprove, "auto-approve", true, "accepted for symmetry with apply: seed-staff never asks")
	_ = fl.MarkHidden("auto-approve")
	f.lock.register(cmd)
	return cmd
}

// flagOf is the old command's flag for a staff type's count.
func flagOf(t spec.StaffType) string {
	return strings.ReplaceAll(t.CountKey(), "_", "-")
}

// seedStaff runs the old command: find the hospitals, build the spec, then
// plan (--dry-run) or apply it.
func (a *app) seedStaff(ctx context.Context, f seedStaffFlags, counts map[spec.StaffType]int) error {
	if f.sendEmails && !f.createUsers {
		return errors.New("--send-emails needs --create-users: credential emails go only to the accounts seed-staff creates")
	}
	m, err := seedstaff.MailFromEnv(a.streams.Getenv, f.emailBackend, f.outbox, f.smtpAllowInsecure)
	if err != nil {
		return err
	}
	req := seedstaff.Request{
		Options: seedstaff.Options{HospitalCode: f.hospitalCode, Counts: counts,
			CreateUsers: f.createUsers, SendEmails: f.sendEmails, Clear: f.clear, DryRun: f.dryRun},
		Mail: m,
	}
	if f.sendEmails && f.createUsers {
		req.MailProblem = m.Problem()
	}
	for _, t := range spec.StaffTypes {
		if counts[t] < 0 || counts[t] > spec.MaxCount {
			return errors.New("--" + flagOf(t) + ": the count must be between 0 and 100000")
		}
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := db.Inspect(ctx, nil)
	if err != nil {
		return err
	}
	var targets []store.HospitalRow
	for _, h := range st.Hospitals {
		if f.hospitalCode == "" || h.Code == f.hospitalCode {
			targets = append(targets, h)
		}
	}
	for _, h := range targets {
		req.Hospitals = append(req.Hospitals, h.Code)
	}
	view := seedstaff.NewView(a.streams.Stdout, req)
	if len(targets) == 0 {
		if !f.emitSpec {
			view.Banner()
		}
		view.NoHospitals(f.hospitalCode)
		return &exitError{code: 1}
	}
	if req.SendsCredentials() {
		// A transport that cannot work is reported per account, as the
		// old command did, and the credentials stay pending.
		s, err := seedstaff.Build(req)
		if err != nil {
			return err
		}
		if err := checkTransport(s.Email, a.streams.Getenv); err != nil {
			req.MailProblem = strings.TrimPrefix(err.Error(), "send_credentials is on but the smtp transport is not usable: ")
			// Speak of the settings seed-staff reads, not of the spec's keys.
			req.MailProblem = strings.Replace(req.MailProblem, "(use starttls or tls, or allow insecure)",
				"(set EMAIL_USE_TLS or EMAIL_USE_SSL to True, or pass --smtp-allow-insecure)", 1)
			view = seedstaff.NewView(a.streams.Stdout, req)
		}
	}
	if f.emitSpec {
		src, err := seedstaff.SpecYAML(req)
		if err != nil {
			return err
		}
		_, err = a.streams.Stdout.Write(src)
		return err
	}
	s, err := seedstaff.Build(req)
	if err != nil {
		return err
	}
	view.Banner()
	view.Configuration(len(targets))
	for _, h := range targets {
		if !hasDepartments(st, h.ID) {
			view.NoDepartments(h.Code, h.Name)
		}
	}
	if f.dryRun {
		p, err := makePlan(ctx, db, s, plan.Options{SkipFingerprint: true})
		if err != nil {
			return err
		}
		view.DryRun(p)
		return nil
	}
	return a.seedStaffApply(ctx, db, s, view, f.lock)
}

// seedStaffApply plans and applies the seed-staff spec under the lock, and
// records the run in the audit trail.
func (a *app) seedStaffApply(ctx context.Context, db *store.DB, s *spec.Spec, view *seedstaff.View, lock lockFlags) error {
	run := newRun("seed-staff", nil)
	run.SpecDigest = s.Digest
	release, err := a.lockRun(ctx, db, run, lock.timeout)
	if err != nil {
		return err
	}
	defer release()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	p, err := makePlan(ctx, db, s, plan.Options{SkipFingerprint: true})
	if err != nil {
		return err
	}
	st, err := db.Inspect(ctx, p.Hospitals)
	if err != nil {
		return err
	}
	view.Pending(pendingAccounts(st, p))
	return a.execute(ctx, db, p, run, 0, view)
}

// pendingAccounts are the accounts of generated staff whose credentials
// are pending in st and that p keeps, in the order their staff were made.
func pendingAccounts(st *store.State, p *plan.Plan) []seedstaff.PendingAccount {
	removed := map[string]bool{}
	for _, c := range p.Changes {
		if u, ok := c.Before.(*plan.UserAttrs); ok && c.Resource == plan.User && (c.Action == plan.Delete || c.Action == plan.Deactivate) {
			removed[u.Username] = true
		}
	}
	users := make(map[int64]store.UserRow, len(st.Users))
	for _, u := range st.Users {
		users[u.ID] = u
	}
	staff := slices.Clone(st.Staff)
	slices.SortFunc(staff, func(a, b store.StaffRow) int { return cmp.Compare(a.ID, b.ID) })
	var out []seedstaff.PendingAccount
	for _, r := range staff {
		if !r.Managed() || r.UserID == nil {
			continue
		}
		u, ok := users[*r.UserID]
		if ok && u.Credential == store.CredentialPending && !removed[u.Username] {
			out = append(out, seedstaff.PendingAccount{StaffKey: r.Key, Username: u.Username})
		}
	}
	return out
}

// hasDepartments reports whether the hospital with id has a department.
func hasDepartments(st *store.State, id int64) bool {
	for _, d := range st.Departments {
		if d.HospitalID == id {
			return true
		}
	}
	return false
}
