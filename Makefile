# Postcard's two commands: `make serve` (build the example showcase and serve
# it with voting on embedded SQLite) and `make test` (everything CI checks).
GO     ?= go
ADDR   ?= 127.0.0.1:1313

# Build and check with at least the Go release go.mod's toolchain line names
# (its patch releases fix standard library vulnerabilities that govulncheck
# reports); an older installed Go fetches it once through the module proxy.
# Set GOTOOLCHAIN=local in the environment to use the installed Go as is.
export GOTOOLCHAIN ?= auto

# Checkers, pinned and run with `go run` so they stay out of go.mod.
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK = golang.org/x/vuln/cmd/govulncheck@v1.9.0

# govulncheck reads a local copy of the Go vulnerability database, built from
# this version of the golang.org/x/vulndb module (CI reaches the Go module
# proxy, not the database service). `make vulndb-update` moves the pin.
VULNDB_VERSION = v0.0.0-20261105234957-e22db6528018
VULNDB         = .cache/vulndb/$(VULNDB_VERSION)

.PHONY: build serve theme-css test test-go test-browser test-valid example lint vulncheck vulndb-update fuzz bench-build bench-images bench-votes bench-votes-pooler bench-site bench-search clean

# node_modules holds the pinned Dart Sass binary and the browser test tools.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules

# The example showcase, into public/ and functions-dist/.
build: node_modules
	$(GO) run ./cmd/postcard build

# The example showcase on ADDR, rebuilt and reloaded on every save.
serve: node_modules
	$(GO) run ./cmd/postcard serve --addr $(ADDR)

# The default theme's stylesheet, compiled ahead from its SCSS with the
# pinned Dart Sass and embedded in the binary (a test fails when it is stale).
theme-css: node_modules
	$(GO) test ./generator/assets -run '^TestCompiledThemeCSS$$' -count=1 -update

# Everything CI checks (.ci/run installs what it needs and runs this).
test: lint vulncheck test-go test-browser test-valid

# gofmt, go vet, staticcheck, and go.mod and go.sum exactly as `go mod tidy`
# would leave them (direct dependencies unmarked, no unused modules).
lint:
	@out=$$(gofmt -l cmd generator functions themes bench tests tools 2>/dev/null); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Known vulnerabilities that Postcard's code can reach, in its dependencies
# and in the Go standard library it is built with, from the pinned database.
vulncheck: $(VULNDB)/index/db.json
	$(GO) run $(GOVULNCHECK) -db file://$(CURDIR)/$(VULNDB) ./...

# The database, built once per pinned version (it appears complete or not at all).
$(VULNDB)/index/db.json:
	$(GO) run ./tools/vulndb -go $(GO) -version $(VULNDB_VERSION) -out $(VULNDB)

# Moves VULNDB_VERSION to the newest version the module proxy has, drops the
# old database and checks against the new one; commit the Makefile after.
vulndb-update:
	@v=$$($(GO) list -m -f '{{.Version}}' golang.org/x/vulndb@latest) && \
	sed -i.orig "s/^VULNDB_VERSION = .*/VULNDB_VERSION = $$v/" Makefile && rm -f Makefile.orig && \
	echo "VULNDB_VERSION = $$v"
	rm -rf .cache/vulndb
	$(MAKE) vulncheck

# Every Go test, with the race detector (the image and build packages take
# minutes under it on a busy two-core machine: hence the long timeout).
test-go: node_modules
	$(GO) test -race -count=1 -timeout 30m ./...

# The example showcase as the quality gates see it, built once per make run.
example: node_modules
	$(GO) run ./cmd/postcard build --quiet --no-function

# The browser quality gates run on the example showcase, freshly built.
test-browser: example
	npm run --silent test:browser

# The standard validators on the example showcase, freshly built: the Nu
# HTML Checker over every page (one JVM for all), the Universal Feed Parser
# over every RSS and Atom feed, and every JSON Feed against a JSON Feed 1.1
# schema. The checker also reads the build package's golden pages (the
# fixture site's poem, page, taxonomy index and not-found page). Debian's
# feedparser is for Debian's Python.
PYTHON_DEBIAN ?= /usr/bin/python3
test-valid: example
	node tests/validate/html.mjs public generator/build/testdata/golden
	$(PYTHON_DEBIAN) tests/validate/feeds.py public
	node tests/validate/jsonfeed.mjs public

# A short run of every fuzz target, for parsers of outside input.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzFrontMatter -fuzztime 30s ./generator/frontmatter/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./generator/results/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./generator/i18n/
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s ./generator/markdown/
	$(GO) test -run '^$$' -fuzz FuzzDecodeBallot -fuzztime 30s ./functions/vote/
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./generator/images/
	$(GO) test -run '^$$' -fuzz FuzzMP4 -fuzztime 30s ./generator/video/
	$(GO) test -run '^$$' -fuzz FuzzWebM -fuzztime 30s ./generator/video/
	$(GO) test -run '^$$' -fuzz FuzzSet -fuzztime 30s ./generator/card/
	$(GO) test -run '^$$' -fuzz FuzzTokens -fuzztime 30s ./generator/search/

# The build's stages: parse, render (a 500-story site in memory), a
# rebuild after an edit (2,000 stories), write.
# Compare two runs with benchstat (golang.org/x/perf/cmd/benchstat).
bench-build:
	$(GO) test -run '^$$' -bench 'BenchmarkParse|BenchmarkRender|BenchmarkRebuild|BenchmarkWrite' -benchmem -count 6 ./generator/content/ ./generator/build/ ./generator/output/

# The image pipeline against Hugo, cold and warm.
bench-images:
	bench/images/run.sh

# The voting function against a no-op handler.
bench-votes:
	$(GO) run ./bench/votes

# 200 function instances, each with its own store, through PgBouncer in
# transaction mode to a PostgreSQL with max_connections 50, then straight
# at it. Needs Debian's postgresql and pgbouncer packages; not in make test.
bench-votes-pooler:
	$(GO) run ./bench/votes -pooler

# A whole showcase, Postcard against Hugo: 1k, 10k and 50k stories, cold,
# warm and one story edited. BENCH_SITE_FLAGS="-sizes 1000 -runs 1" for a
# short run; see go run ./bench/site -h.
bench-site: node_modules
	$(GO) run ./bench/site $(BENCH_SITE_FLAGS)

# Site search on 10,000 stories, Postcard's index against Pagefind's (from
# npm): index build time, bytes and results of three queries in Chromium.
# BENCH_SEARCH_FLAGS="-stories 1000 -runs 1" for a short run.
bench-search: node_modules
	$(GO) run ./bench/search $(BENCH_SEARCH_FLAGS)

# Build output and caches; all of it is rebuilt on demand.
clean:
	rm -rf public functions-dist .postcard-cache .cache
