.PHONY: test pg-start pg-stop

# test runs go vet and go test against a throwaway PostgreSQL in .tmp/pg.
test:
	scripts/test.sh

# pg-start starts (or reuses) the test PostgreSQL and prints its URL; use it
# as STAFFSEED_TEST_DATABASE to run go test directly.
pg-start:
	@scripts/pg.sh start .tmp/pg

pg-stop:
	@scripts/pg.sh stop .tmp/pg
