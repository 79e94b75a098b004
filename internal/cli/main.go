package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

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
	// StderrTerminal reports whether stderr is a terminal (for progress
	// bars); nil means it is not.
	StderrTerminal func() bool
}

// OSStreams are the real process streams.
func OSStreams() Streams {
	return Streams{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		IsTerminal:     func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		StdoutTerminal: func() bool { return term.IsTerminal(int(os.Stdout.Fd())) },
		StderrTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
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
	if s.StderrTerminal == nil {
		s.StderrTerminal = func() bool { return false }
	}
	ctx, stop := handleInterrupts(context.Background(), s.Stderr)
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

// hardStopDelay is how long a command may take to wind down after its
// context was cancelled by an interrupt before the process exits anyway
// (a blocked read of a prompt or of a silent server does not see ctx).
const hardStopDelay = 2 * time.Second

type interruptsKey struct{}

// interrupts turns SIGINT and SIGTERM into a two-stage stop. While a
// command works in committed batches (see gracefulStop), the first signal
// closes stop, asking it to finish the batch under way and return; any
// other signal cancels the command's context at once, and the process
// exits if the command has not returned shortly after.
type interrupts struct {
	mu       sync.Mutex
	stderr   io.Writer
	cancel   context.CancelFunc
	graceful bool
	stop     chan struct{}
	stopping bool
}

// handleInterrupts returns a context cancelled by interrupts as described
// above, and a function that stops listening for them.
func handleInterrupts(parent context.Context, stderr io.Writer) (context.Context, func()) {
	in := &interrupts{stderr: stderr, stop: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.WithValue(parent, interruptsKey{}, in))
	in.cancel = cancel
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-sigs:
				in.signalled()
			case <-done:
				return
			}
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

func (in *interrupts) signalled() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.graceful && !in.stopping {
		in.stopping = true
		close(in.stop)
		fmt.Fprintln(in.stderr, "\nInterrupt received: finishing the current batch, then stopping (run apply again to finish). Press Ctrl-C again to stop at once.")
		return
	}
	fmt.Fprintln(in.stderr, "\nInterrupted: stopping now. What is not done yet shows in the next plan; the next apply finishes it.")
	in.cancel()
	time.AfterFunc(hardStopDelay, func() { os.Exit(1) })
}

// gracefulStop is called by a command about to work in committed batches.
// It returns a channel closed at the first interrupt from now on (nil when
// ctx does not come from Main) and a function that ends this, after which
// interrupts cancel ctx at once again.
func gracefulStop(ctx context.Context) (stop <-chan struct{}, end func()) {
	in, ok := ctx.Value(interruptsKey{}).(*interrupts)
	if !ok {
		return nil, func() {}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.graceful = true
	return in.stop, func() {
		in.mu.Lock()
		defer in.mu.Unlock()
		in.graceful = false
	}
}
