package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/px360/staffseed/internal/store"
)

// fileKind marks a saved plan.
const fileKind = "staffseed-plan"

// savedFile is the on-disk form of a plan: the plan and a checksum of it,
// so that a truncated or edited file is refused.
type savedFile struct {
	Kind          string          `json:"kind"`
	FormatVersion string          `json:"format_version"`
	Checksum      string          `json:"checksum"`
	Plan          json.RawMessage `json:"plan"`
}

// savedChange is a Change with its attributes' type spelled out.
type savedChange struct {
	Address  string          `json:"address"`
	Resource string          `json:"resource"`
	Action   string          `json:"action"`
	Hospital string          `json:"hospital"`
	Cause    string          `json:"cause"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
}

type savedPlan struct {
	SpecDigest  string        `json:"spec_digest"`
	Fingerprint string        `json:"database_fingerprint"`
	Database    string        `json:"database"`
	Basis       store.Summary `json:"basis"`
	Migrations  []string      `json:"migrations"`
	Hospitals   []string      `json:"hospitals"`
	Changes     []savedChange `json:"changes"`
	Warnings    []string      `json:"warnings"`
	Settings    Settings      `json:"settings"`
	Destroy     bool          `json:"destroy,omitempty"`
}

// Encode serialises a plan for `plan --out`. It holds no secret: passwords
// are generated at apply time and SMTP passwords are only named.
func Encode(p *Plan) ([]byte, error) {
	if p.Database == "" {
		return nil, errors.New("the plan does not name its database")
	}
	sp := savedPlan{SpecDigest: p.SpecDigest, Fingerprint: p.Fingerprint, Database: p.Database, Basis: p.Basis,
		Migrations: p.Migrations,
		Hospitals:  p.Hospitals, Warnings: p.Warnings, Settings: p.Settings, Destroy: p.Destroy}
	for _, c := range p.Changes {
		sc := savedChange{Address: c.Address, Resource: c.Resource.String(), Action: c.Action.String(),
			Hospital: c.Hospital, Cause: c.Cause}
		var err error
		if c.Before != nil {
			if sc.Before, err = json.Marshal(c.Before); err != nil {
				return nil, err
			}
		}
		if c.After != nil {
			if sc.After, err = json.Marshal(c.After); err != nil {
				return nil, err
			}
		}
		sp.Changes = append(sp.Changes, sc)
	}
	body, err := json.Marshal(sp)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return json.MarshalIndent(savedFile{Kind: fileKind, FormatVersion: FormatVersion,
		Checksum: hex.EncodeToString(sum[:]), Plan: body}, "", " ")
}

// ErrNotAPlan is returned for input that is not a saved plan at all.
var ErrNotAPlan = errors.New("not a staffseed plan file")

// Decode reads a plan written by Encode, refusing a truncated or altered
// file and one written in an incompatible format.
func Decode(data []byte) (*Plan, error) {
	var f savedFile
	if err := json.Unmarshal(data, &f); err != nil || f.Kind != fileKind {
		return nil, ErrNotAPlan
	}
	if f.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("the plan was written in format %s; this staffseed reads format %s: make a new plan", f.FormatVersion, FormatVersion)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, f.Plan); err != nil {
		return nil, ErrNotAPlan
	}
	sum := sha256.Sum256(compact.Bytes())
	if hex.EncodeToString(sum[:]) != f.Checksum {
		return nil, errors.New("the plan file has been altered or truncated (checksum mismatch): make a new plan")
	}
	var sp savedPlan
	dec := json.NewDecoder(bytes.NewReader(compact.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sp); err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	if sp.Database == "" || sp.Fingerprint == "" {
		return nil, errors.New("the plan file does not name the database and state it was made against: make a new plan")
	}
	p := &Plan{FormatVersion: f.FormatVersion, SpecDigest: sp.SpecDigest, Fingerprint: sp.Fingerprint,
		Database: sp.Database, Basis: sp.Basis, Migrations: sp.Migrations, Hospitals: sp.Hospitals, Warnings: sp.Warnings, Settings: sp.Settings, Destroy: sp.Destroy}
	for _, sc := range sp.Changes {
		c, err := decodeChange(sc)
		if err != nil {
			return nil, fmt.Errorf("read plan: %s: %w", sc.Address, err)
		}
		p.Changes = append(p.Changes, c)
	}
	return p, nil
}

func decodeChange(sc savedChange) (Change, error) {
	c := Change{Address: sc.Address, Hospital: sc.Hospital, Cause: sc.Cause}
	var ok bool
	if c.Resource, ok = resourceNamed(sc.Resource); !ok {
		return c, fmt.Errorf("unknown resource %q", sc.Resource)
	}
	if c.Action, ok = actionNamed(sc.Action); !ok {
		return c, fmt.Errorf("unknown action %q", sc.Action)
	}
	var err error
	if c.Before, err = decodeAttrs(c.Resource, sc.Before); err != nil {
		return c, err
	}
	c.After, err = decodeAttrs(c.Resource, sc.After)
	return c, err
}

func decodeAttrs(r Resource, raw json.RawMessage) (Attrs, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var a Attrs
	switch r {
	case Hospital:
		a = &HospitalAttrs{}
	case Department:
		a = &DepartmentAttrs{}
	case Staff:
		a = &StaffAttrs{}
	case User:
		a = &UserAttrs{}
	case Credential:
		a = &CredentialAttrs{}
	}
	if err := json.Unmarshal(raw, a); err != nil {
		return nil, err
	}
	return a, nil
}

func resourceNamed(s string) (Resource, bool) {
	for r := Hospital; r <= Credential; r++ {
		if r.String() == s {
			return r, true
		}
	}
	return 0, false
}

func actionNamed(s string) (Action, bool) {
	for a := Create; a <= IssueCredential; a++ {
		if a.String() == s {
			return a, true
		}
	}
	return 0, false
}
