package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/px360/staffseed/internal/generate"
	"github.com/px360/staffseed/internal/mail"
	"github.com/px360/staffseed/internal/spec"
	"github.com/spf13/cobra"
)

// PreviewPassword stands in for the generated password in a preview.
const PreviewPassword = "Example-Pa55!"

func newEmailCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "email",
		Short: "Work with credential emails",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEmailPreviewCmd(a))
	return cmd
}

type previewFlags struct {
	spec     specFlags
	hospital string
	language string
	out      string
}

func newEmailPreviewCmd(a *app) *cobra.Command {
	var f previewFlags
	cmd := &cobra.Command{
		Use:   "preview -f PATH",
		Short: "Render a sample credential email; no database needed",
		Long: `Render the credential email one staff member of a hospital would get, with the
spec's templates and language and a placeholder password (` + PreviewPassword + `). The
sample is the hospital's first generated staff member, else the first row of
its roster.

Without --out the subject and the text part go to the terminal. --out FILE.eml
writes the whole message (text and HTML parts, as sent); --out FILE.html
writes the HTML part alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.loadSpec(f.spec)
			if err != nil {
				return err
			}
			if err := mail.CheckTemplates(s.Email.Templates, nil, nil); err != nil {
				return fmt.Errorf("the credential email templates are not usable:\n%w", err)
			}
			m, err := previewMessage(s, f.hospital, f.language)
			if err != nil {
				return err
			}
			if f.out == "" {
				fprintf(a.streams.Stdout, "From: %s\nTo: %s <%s>\nSubject: %s\n\n%s", m.From, m.ToName, m.To, m.Subject, m.Text)
				return nil
			}
			if err := writePreview(cmd.Context(), m, f.out); err != nil {
				return err
			}
			fprintf(a.streams.Stdout, "Wrote %s (%s to %s).\n", f.out, m.Subject, m.To)
			return nil
		},
	}
	f.spec.register(cmd, true)
	cmd.Flags().StringVar(&f.hospital, "hospital", "", "hospital `CODE` (default: the spec's first)")
	cmd.Flags().StringVar(&f.language, "language", "", "`en|ar|bilingual` (default: the hospital's, else email.language)")
	cmd.Flags().StringVar(&f.out, "out", "", "write to `FILE`.eml (the whole message) or FILE.html (its HTML part)")
	return cmd
}

// previewMessage composes the sample credential email of a hospital.
func previewMessage(s *spec.Spec, code, lang string) (mail.Message, error) {
	if len(s.Hospitals) == 0 {
		return mail.Message{}, fmt.Errorf("the spec has no hospital")
	}
	h := &s.Hospitals[0]
	if code != "" {
		var ok bool
		if h, ok = s.HospitalByCode(code); !ok {
			return mail.Message{}, fmt.Errorf("hospital.%s is not in the spec", code)
		}
	}
	if lang == "" {
		lang = h.Language
	}
	if lang == "" {
		lang = s.Email.Language
	}
	c := sampleCredential(s, h)
	c.Language, c.Password = lang, PreviewPassword
	c.LoginURL = strings.TrimRight(s.Email.SiteURL, "/") + "/accounts/login/"
	return mail.Compose(c, s.Email.From, s.Email.Templates)
}

// sampleCredential is the credential of the hospital's first generated
// staff member, else of its first roster row, else of the physician it
// would generate first.
func sampleCredential(s *spec.Spec, h *spec.Hospital) mail.Credential {
	c := mail.Credential{HospitalCode: h.Code, HospitalName: h.Name, HospitalNameAr: h.NameAr}
	if c.HospitalName == "" {
		c.HospitalName = h.Code
	}
	people := generate.ForHospital(s.Seed, h)
	if len(people) == 0 && len(h.RosterRows) > 0 {
		r := h.RosterRows[0]
		c.FirstName, c.LastName, c.FirstNameAr, c.LastNameAr = r.FirstName, r.LastName, r.FirstNameAr, r.LastNameAr
		c.Username, c.Email = generate.UsernameBase(r.FirstName, r.LastName), r.Email
	} else {
		p := generate.Staff(s.Seed, h.Code, spec.Physician, 0, h.Staff[spec.Physician].FemaleRatio)
		if len(people) > 0 {
			p = people[0]
		}
		c.FirstName, c.LastName, c.FirstNameAr, c.LastNameAr = p.FirstName, p.LastName, p.FirstNameAr, p.LastNameAr
		c.Username = p.UsernameBase
	}
	if c.Email == "" {
		c.Email = generate.Address(s.Email.Address, c.Username, c.FirstName, c.LastName, h.Code)
	}
	return c
}

// writePreview writes the message as an .eml file (through the file
// transport, so it is exactly what would be sent) or its HTML part.
func writePreview(ctx context.Context, m mail.Message, out string) error {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".html", ".htm":
		return os.WriteFile(out, []byte(m.HTML), 0o644)
	case ".eml":
	default:
		return fmt.Errorf("--out %s: want a .eml or .html file", out)
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), ".staffseed-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sender, err := mail.NewFile(dir)
	if err != nil {
		return err
	}
	var sendErr error
	if err := sender.Send(ctx, []mail.Message{m}, func(_ int, err error) { sendErr = err }); err != nil {
		return err
	}
	if sendErr != nil {
		return sendErr
	}
	written, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(written) != 1 {
		return fmt.Errorf("write %s: the message was not written", out)
	}
	return os.Rename(written[0], out)
}
