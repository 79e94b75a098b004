package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/cli"
	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/smtptest"
	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/crypto/pbkdf2"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"staffseed": func() { os.Exit(cli.Main(os.Args[1:], cli.OSStreams())) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: each gets a
// database of its own (DATABASE_URL) and an in-process SMTP server
// (SMTP_PORT on 127.0.0.1), and these commands besides staffseed:
//
//	sql QUERY            print the rows, tab-separated, one per line
//	expand FILE...       replace $VAR and ${VAR} in files with the environment
//	mail count           print how many messages the SMTP server accepted
//	mail connections     print how many connections it accepted
//	mail list            print To and Subject of each accepted message
//	mail verify          check every accepted credential: its password
//	                     verifies against the user's stored hash (PBKDF2
//	                     recomputed here, independently of staffseed)
//	mail reject on|off   make the SMTP server refuse or accept all mail
//	mail serve [drop-after=N] [reject=ADDR,...]
//	                     replace the SMTP server with a new one (new
//	                     SMTP_PORT, empty mailbox) that drops each
//	                     connection after N messages or refuses ADDR
func TestScripts(t *testing.T) {
	pgtest.New(t) // skips, or fails under CI, before any script runs without a database
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			url := pgtest.New(t)
			srv := smtptest.Start(t, smtptest.Options{})
			env.Setenv("DATABASE_URL", url)
			env.Setenv("SMTP_PORT", strconv.Itoa(srv.Port))
			env.Setenv("NO_COLOR", "1")
			env.Values[smtpKey{}] = &smtpHolder{t: t, srv: srv}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sql":    cmdSQL,
			"expand": cmdExpand,
			"mail":   cmdMail,
		},
	})
}

type smtpKey struct{}

// smtpHolder is the script's current SMTP server.
type smtpHolder struct {
	t   *testing.T
	srv *smtptest.Server
}

func cmdSQL(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: sql QUERY")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ts.Getenv("DATABASE_URL"))
	ts.Check(err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, args[0])
	if err != nil {
		if neg {
			return
		}
		ts.Fatalf("sql: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		vals, err := rows.Values()
		ts.Check(err)
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = fmt.Sprint(v)
		}
		fmt.Fprintln(ts.Stdout(), strings.Join(cells, "\t"))
	}
	if err := rows.Err(); err != nil && !neg {
		ts.Fatalf("sql: %v", err)
	}
}

func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	for _, f := range args {
		path := ts.MkAbs(f)
		data, err := os.ReadFile(path)
		ts.Check(err)
		ts.Check(os.WriteFile(path, []byte(os.Expand(string(data), ts.Getenv)), 0o644))
	}
}

func cmdMail(ts *testscript.TestScript, neg bool, args []string) {
	holder := ts.Value(smtpKey{}).(*smtpHolder)
	srv := holder.srv
	if len(args) == 0 {
		ts.Fatalf("usage: mail count|list|verify|reject on|off|serve")
	}
	switch args[0] {
	case "serve":
		var opts smtptest.Options
		for _, a := range args[1:] {
			k, v, _ := strings.Cut(a, "=")
			switch k {
			case "drop-after":
				n, err := strconv.Atoi(v)
				ts.Check(err)
				opts.DropAfter = n
			case "reject":
				opts.RejectRecipients = strings.Split(v, ",")
			default:
				ts.Fatalf("mail serve: unknown option %q", a)
			}
		}
		holder.srv = smtptest.Start(holder.t, opts)
		ts.Setenv("SMTP_PORT", strconv.Itoa(holder.srv.Port))
	case "count":
		fmt.Fprintln(ts.Stdout(), len(srv.Messages()))
	case "connections":
		fmt.Fprintln(ts.Stdout(), srv.Connections())
	case "list":
		for _, m := range srv.Messages() {
			msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
			ts.Check(err)
			subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			fmt.Fprintf(ts.Stdout(), "%s\t%s\n", strings.Join(m.To, ","), subject)
		}
	case "reject":
		srv.SetRejectAll(len(args) > 1 && args[1] == "on")
	case "verify":
		n := verifyCredentials(ts, srv)
		fmt.Fprintf(ts.Stdout(), "%d credentials verified\n", n)
	default:
		ts.Fatalf("mail: unknown subcommand %q", args[0])
	}
}

// passwordLine finds the password in a credential email's text part; in
// Arabic lines it sits between directional isolates (U+2066 … U+2069).
var passwordLine = regexp.MustCompile(`(?m)^\s*(?:Password|كلمة المرور):\s*\x{2066}?([^\s\x{2066}\x{2069}]+)\x{2069}?\s*$`)

// verifyCredentials checks that the latest password emailed to each user
// verifies against the user's stored Django hash, and returns how many
// users it checked.
func verifyCredentials(ts *testscript.TestScript, srv *smtptest.Server) int {
	emailed, err := emailedPasswords(srv.Messages())
	ts.Check(err)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, ts.Getenv("DATABASE_URL"))
	ts.Check(err)
	defer conn.Close(ctx)
	for addr, pws := range emailed {
		var encoded string
		ts.Check(conn.QueryRow(ctx, `SELECT password FROM users WHERE lower(email) = $1`, addr).Scan(&encoded))
		if !djangoCheck(pws[len(pws)-1], encoded) {
			ts.Fatalf("the password emailed to %s does not verify against its stored hash", addr)
		}
	}
	return len(emailed)
}

// emailedPasswords returns the passwords emailed to each address (lower
// case), oldest first.
func emailedPasswords(msgs []smtptest.Received) (map[string][]string, error) {
	out := map[string][]string{}
	for _, m := range msgs {
		text, err := textPart(m.Data)
		if err != nil {
			return nil, fmt.Errorf("email to %v: %w", m.To, err)
		}
		match := passwordLine.FindStringSubmatch(text)
		if match == nil {
			return nil, fmt.Errorf("no password line in the email to %v:\n%s", m.To, text)
		}
		addr := strings.ToLower(m.To[0])
		out[addr] = append(out[addr], match[1])
	}
	return out, nil
}

// djangoCheck verifies a password against a pbkdf2_sha256 hash with
// x/crypto's PBKDF2, independently of staffseed's own code.
func djangoCheck(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2_sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil {
		return false
	}
	dk := pbkdf2.Key([]byte(password), []byte(parts[2]), iter, 32, sha256.New)
	return base64.StdEncoding.EncodeToString(dk) == parts[3]
}

// textPart returns the decoded text/plain part of a message.
func textPart(raw []byte) (string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(mt, "multipart/") {
		b, err := io.ReadAll(msg.Body)
		return string(b), err
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err != nil {
			return "", fmt.Errorf("no text part: %w", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(p) // multipart.Part decodes quoted-printable
			return string(b), err
		}
	}
}
