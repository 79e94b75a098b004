// Command staffseed-bench runs the scale comparison of `make bench`: a
// staffseed binary applying and re-planning 1k, 10k and 100k staff on a
// throwaway PostgreSQL, against a plain COPY of the same rows, and the
// cost of creating accounts against the password hashing alone. It prints
// the figures as Markdown.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/px360/staffseed/internal/bench"
	"github.com/px360/staffseed/internal/spec"
	"github.com/spf13/pflag"
)

func main() {
	opts := bench.ScaleOptions{Log: os.Stderr}
	sizes := pflag.String("sizes", "1000,10000,100000", "staff counts to apply and plan, comma-separated")
	pflag.StringVar(&opts.Staffseed, "staffseed", "", "staffseed binary to measure (required)")
	pflag.StringVar(&opts.Server, "server", "", "URL of a throwaway PostgreSQL server (required); databases are created and dropped on it")
	pflag.StringVar(&opts.Dir, "dir", os.TempDir(), "folder for specs, CSV files and the outbox")
	pflag.IntVar(&opts.Accounts, "accounts", 1000, "accounts with credential emails for the hashing figure (0: skip)")
	pflag.IntVar(&opts.Repeat, "repeat", 1, "measure each size this many times and keep the best figures")
	pflag.IntVar(&opts.Iterations, "iterations", spec.DefaultPasswordIterations, "password hasher iterations for the hashing figure")
	pflag.Parse()
	if opts.Staffseed == "" || opts.Server == "" {
		fmt.Fprintln(os.Stderr, "staffseed-bench: --staffseed and --server are required")
		os.Exit(2)
	}
	for s := range strings.SplitSeq(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 3 {
			fmt.Fprintf(os.Stderr, "staffseed-bench: bad size %q\n", s)
			os.Exit(2)
		}
		opts.Sizes = append(opts.Sizes, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := bench.Scale(ctx, opts)
	if r != nil {
		if werr := r.Write(os.Stdout); err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "staffseed-bench:", err)
		os.Exit(1)
	}
}
