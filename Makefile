.PHONY: demo test build bench pg-start pg-stop demo-clean

# demo plans and applies examples/px360.yaml against a throwaway PostgreSQL
# in .tmp/demo-pg, with credential emails written to ./outbox.
demo:
	scripts/demo.sh

# test runs go vet and go test against a throwaway PostgreSQL in .tmp/pg.
test:
	scripts/test.sh

build:
	go build -o bin/staffseed ./cmd/staffseed

# bench runs the Go benchmarks, then the scale run against a throwaway
# PostgreSQL in .tmp/bench-pg; docs/PERFORMANCE.md explains the figures.
bench:
	scripts/bench.sh

# pg-start starts (or reuses) the test PostgreSQL and prints its URL; use it
# as STAFFSEED_TEST_DATABASE to run go test directly.
pg-start:
	@scripts/pg.sh start .tmp/pg

pg-stop:
	@scripts/pg.sh stop .tmp/pg

# demo-clean stops the demo server and removes its data and the outbox.
demo-clean:
	-scripts/pg.sh stop .tmp/demo-pg
	rm -rf .tmp/demo-pg outbox
