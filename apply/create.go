package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/px360/staffseed/internal/mail"
	"github.com/px360/staffseed/internal/password"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// record is one staff member's creations: the staff row (nil when it
// exists), its account and its credential email, with the plain password
// held in memory only until the email is sent.
type record struct {
	staff, user, cred *plan.Change
	password, hash    string
	staffID, userID   int64
}

func (r *record) changes() []plan.Change {
	var out []plan.Change
	for _, c := range []*plan.Change{r.staff, r.user, r.cred} {
		if c != nil && c.Resource != plan.Credential {
			out = append(out, *c)
		}
	}
	return out
}

// records groups the plan's creations by staff member, in plan order.
func (a *applier) records() []*record {
	var out []*record
	byKey := map[string]*record{}
	get := func(key string) *record {
		r, ok := byKey[key]
		if !ok {
			r = &record{}
			byKey[key] = r
			out = append(out, r)
		}
		return r
	}
	for i := range a.p.Changes {
		c := &a.p.Changes[i]
		switch {
		case c.Resource == plan.Staff && c.Action == plan.Create:
			get(c.After.(*plan.StaffAttrs).Key).staff = c
		case c.Resource == plan.User && c.Action == plan.Create:
			u := c.After.(*plan.UserAttrs)
			r := get(u.StaffKey)
			r.user, r.staffID = c, u.StaffID
		case c.Resource == plan.Credential && c.Action == plan.IssueCredential && c.After.(*plan.CredentialAttrs).UserID == 0:
			get(c.After.(*plan.CredentialAttrs).StaffKey).cred = c
		}
	}
	return out
}

// secure gives each record with an account its password hash: a fresh
// password when a credential email goes out, else Django's unusable form.
// Hashing runs on every worker.
func (a *applier) secure(ctx context.Context, rs []*record) error {
	var plain []string
	var idx []int
	for i, r := range rs {
		switch {
		case r.user == nil:
		case r.cred == nil:
			r.hash = password.Unusable()
		default:
			pw, err := password.Generate(a.p.Settings.Password.Length)
			if err != nil {
				return err
			}
			r.password = pw
			plain = append(plain, pw)
			idx = append(idx, i)
		}
	}
	hashes, err := password.HashAll(ctx, plain, a.p.Settings.Password.Iterations, a.opts.Workers)
	if err != nil {
		return err
	}
	for k, i := range idx {
		rs[i].hash = hashes[k]
	}
	return nil
}

// creations writes new staff, accounts and role grants in batches and
// emails each batch's credentials once it is committed. The next batch's
// passwords are hashed while the current one is written and sent.
func (a *applier) creations(ctx context.Context) error {
	rs := a.records()
	if len(rs) == 0 {
		return nil
	}
	n := a.opts.BatchSize
	type hashed struct {
		batch []*record
		err   error
	}
	ready := make(chan hashed, 1)
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(ready)
		for start := 0; start < len(rs); start += n {
			batch := rs[start:min(start+n, len(rs))]
			err := a.secure(hctx, batch)
			select {
			case ready <- hashed{batch, err}:
			case <-hctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	total, done := len(rs), 0
	a.report(Event{Kind: Progress, Phase: "creating", Total: total})
	for h := range ready {
		if h.err != nil {
			return h.err // password.HashAll says it was hashing
		}
		send := func(rs []*record) error { return a.send(ctx, rs) }
		if err := batches(ctx, a, "", len(h.batch), h.batch, (*record).changes, a.insert, send); err != nil {
			return err
		}
		done += len(h.batch)
		a.report(Event{Kind: Progress, Phase: "creating", Done: done, Total: total, Result: a.res})
	}
	return nil
}

// insert writes a batch of records in one transaction.
func (a *applier) insert(tx *store.Tx, rs []*record) error {
	var staffRows []store.StaffRow
	var withStaff []*record
	for _, r := range rs {
		if r.staff != nil {
			staffRows = append(staffRows, a.staffRow(r.staff.Hospital, r.staff.After.(*plan.StaffAttrs)))
			withStaff = append(withStaff, r)
		}
	}
	ids, err := tx.InsertStaff(staffRows)
	if err != nil {
		return err
	}
	for i, r := range withStaff {
		r.staffID = ids[i]
	}
	var users []store.NewUser
	var withUser []*record
	for _, r := range rs {
		if r.user == nil {
			continue
		}
		u := r.user.After.(*plan.UserAttrs)
		users = append(users, store.NewUser{Username: u.Username, Email: u.Email, FirstName: u.FirstName,
			LastName: u.LastName, PasswordHash: r.hash, IsActive: true, Key: u.StaffKey, Seed: a.seed(u.StaffKey)})
		withUser = append(withUser, r)
	}
	if len(users) == 0 {
		return nil
	}
	uids, err := tx.InsertUsers(users)
	if err != nil {
		return err
	}
	staffIDs := make([]int64, len(withUser))
	byRole := map[string][]int64{}
	for i, r := range withUser {
		r.userID = uids[i]
		staffIDs[i] = r.staffID
		role := r.user.After.(*plan.UserAttrs).Role
		byRole[role] = append(byRole[role], r.userID)
	}
	if err := tx.SetStaffUsers(staffIDs, uids); err != nil {
		return err
	}
	for role, ids := range byRole {
		if err := tx.GrantRole(ids, role); err != nil {
			return err
		}
	}
	return tx.SetCredentials(uids, store.CredentialPending, "")
}

// send emails the credentials of committed records and records each
// delivery as soon as the mail server has accepted it.
func (a *applier) send(ctx context.Context, rs []*record) error {
	var out []*record
	for _, r := range rs {
		if r.cred != nil && r.password != "" {
			out = append(out, r)
		}
	}
	return a.deliver(ctx, out)
}

// deliver composes and sends the credential emails of records whose
// accounts are committed, forgetting each password once it is handed over.
func (a *applier) deliver(ctx context.Context, rs []*record) error {
	if len(rs) == 0 {
		return nil
	}
	settings := a.p.Settings
	msgs := make([]mail.Message, 0, len(rs))
	sendable := make([]*record, 0, len(rs))
	for _, r := range rs {
		c := r.cred.After.(*plan.CredentialAttrs)
		info := settings.Hospitals[r.cred.Hospital]
		lang := c.Language
		if lang == "" {
			lang = info.Language
		}
		m, err := mail.Compose(mail.Credential{
			HospitalCode: r.cred.Hospital, HospitalName: info.Name, HospitalNameAr: info.NameAr,
			FirstName: c.FirstName, LastName: c.LastName, FirstNameAr: c.FirstNameAr, LastNameAr: c.LastNameAr,
			Username: c.Username, Password: r.password, Email: c.Email,
			LoginURL: loginURL(settings.Email.SiteURL), Language: lang,
		}, settings.Email.From, settings.Email.Templates)
		if err != nil {
			a.credentialFailed(ctx, r, err)
			continue
		}
		msgs = append(msgs, m)
		sendable = append(sendable, r)
	}
	fated := make([]bool, len(msgs))
	var recordErr error
	// Once a delivery cannot be recorded, stop sending: further emails
	// would go out unrecorded and be sent again with new passwords.
	sctx, stopSending := context.WithCancel(ctx)
	defer stopSending()
	err := a.opts.Sender.Send(sctx, msgs, func(i int, err error) {
		fated[i] = true
		r := sendable[i]
		r.password = ""
		if err != nil {
			if recordErr != nil && ctx.Err() == nil {
				err = errors.New("not sent: deliveries could not be recorded")
			}
			a.credentialFailed(ctx, r, err)
			return
		}
		if e := a.recordDelivery(ctx, r.userID); e != nil && recordErr == nil {
			recordErr = fmt.Errorf("record delivery to %s: %w", r.cred.After.(*plan.CredentialAttrs).Email, e)
			stopSending()
		}
		a.res.CredentialsSent++
		a.report(Event{Kind: CredentialSent, Change: *r.cred})
	})
	for i, ok := range fated {
		if !ok {
			e := err
			if e == nil {
				e = fmt.Errorf("not sent")
			}
			sendable[i].password = ""
			a.credentialFailed(ctx, sendable[i], e)
		}
	}
	return recordErr
}

// recordDelivery marks a credential delivered. The mail server has the
// message already, so this is done even when ctx was just cancelled (with a
// short deadline of its own): otherwise the next apply would reset a
// password that is already in the user's inbox.
func (a *applier) recordDelivery(ctx context.Context, userID int64) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return a.db.SetCredentials(ctx, []int64{userID}, store.CredentialDelivered, "")
}

// ErrInterrupted is the error of a credential email not sent because
// apply was interrupted: the credential stays pending and the next apply
// sends it. Views show these together rather than one by one.
var ErrInterrupted = errors.New("not sent: interrupted")

func (a *applier) credentialFailed(ctx context.Context, r *record, err error) {
	if ctx.Err() != nil {
		err = ErrInterrupted
	}
	a.res.CredentialsPending++
	a.res.Failures = append(a.res.Failures, Failure{Address: r.cred.Address, Err: err})
	_ = a.db.SetCredentials(ctx, []int64{r.userID}, store.CredentialPending, err.Error())
	a.report(Event{Kind: CredentialFailed, Change: *r.cred, Err: err})
}

// loginURL is where a credential email sends people to sign in.
func loginURL(site string) string {
	for len(site) > 0 && site[len(site)-1] == '/' {
		site = site[:len(site)-1]
	}
	return site + "/accounts/login/"
}

// reissues gives users whose credentials are pending a fresh password and
// emails it. A delivered password is never reset: the plan only holds
// pending ones.
func (a *applier) reissues(ctx context.Context) error {
	var rs []*record
	for i := range a.p.Changes {
		c := &a.p.Changes[i]
		if c.Resource == plan.Credential && c.Action == plan.IssueCredential {
			if id := c.After.(*plan.CredentialAttrs).UserID; id != 0 {
				rs = append(rs, &record{cred: c, userID: id})
			}
		}
	}
	if len(rs) > 0 {
		a.report(Event{Kind: Progress, Phase: "credentials", Total: len(rs)})
	}
	n := a.opts.BatchSize
	for start := 0; start < len(rs); start += n {
		if err := a.next(ctx); err != nil {
			return err
		}
		batch := rs[start:min(start+n, len(rs))]
		plain := make([]string, len(batch))
		for i, r := range batch {
			pw, err := password.Generate(a.p.Settings.Password.Length)
			if err != nil {
				return err
			}
			r.password, plain[i] = pw, pw
		}
		hashes, err := password.HashAll(ctx, plain, a.p.Settings.Password.Iterations, a.opts.Workers)
		if err != nil {
			return err
		}
		ids := make([]int64, len(batch))
		for i, r := range batch {
			ids[i] = r.userID
		}
		err = a.db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.SetPasswords(ids, hashes); err != nil {
				return err
			}
			return tx.SetCredentials(ids, store.CredentialPending, "")
		})
		if err != nil {
			return fmt.Errorf("reset pending credentials: %w", err)
		}
		if err := a.deliver(ctx, batch); err != nil {
			return err
		}
		a.report(Event{Kind: Progress, Phase: "credentials", Done: start + len(batch), Total: len(rs), Result: a.res})
	}
	return nil
}
