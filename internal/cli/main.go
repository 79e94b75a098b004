package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Streams are the process's standard streams and environment, passed in so
// that tests can run the CLI in-process.
type Streams struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal reports whether stdin is an interactive terminal.
	IsTerminal func() bool
	// StdoutTerminal reports whether stdout is a terminal (for colour).
	StdoutTerminal func() bool
}

// OSStreams are the real process streams.
func OSStreams() Streams {
	return Streams{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		IsTerminal:     func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		StdoutTerminal: func() bool { return term.IsTerminal(int(os.Stdout.Fd())) },
	}
}

// exitError carries an exit code other than 1 (or a silent 1 whose
// message was already printed).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Main runs the command line and returns the process exit code.
func Main(args []string, s Streams) int {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	if s.IsTerminal == nil {
		s.IsTerminal = func() bool { return false }
	}
	if s.StdoutTerminal == nil {
		s.StdoutTerminal = func() bool { return false }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(&app{streams: s})
	root.SetArgs(args)
	root.SetIn(s.Stdin)
	root.SetOut(s.Stdout)
	root.SetErr(s.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(s.Stderr, "Error: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(s.Stderr, "Error: "+err.Error())
	return 1
}
