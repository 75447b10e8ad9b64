# Postcard's two commands: `make serve` (build the example showcase and serve
# it with voting on embedded SQLite) and `make test` (everything CI checks).
GO     ?= go
ADDR   ?= 127.0.0.1:1313

.PHONY: build serve test test-go test-browser lint fuzz bench-images bench-votes bench-site clean

# node_modules holds the pinned Dart Sass binary and the browser test tools.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch node_modules

build: node_modules
	$(GO) run ./cmd/postcard build

serve: node_modules
	$(GO) run ./cmd/postcard serve --addr $(ADDR)

test: lint test-go test-browser

lint:
	@out=$$(gofmt -l cmd generator functions themes bench tests 2>/dev/null); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

test-go: node_modules
	$(GO) test -race -count=1 ./...

# The browser quality gates run on the example showcase, freshly built.
test-browser: node_modules
	$(GO) run ./cmd/postcard build --quiet --no-function
	npm run --silent test:browser

# A short run of every fuzz target, for parsers of outside input.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzFrontMatter -fuzztime 30s ./generator/frontmatter/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./generator/results/
	$(GO) test -run '^$$' -fuzz FuzzRender -fuzztime 30s ./generator/markdown/
	$(GO) test -run '^$$' -fuzz FuzzDecodeBallot -fuzztime 30s ./functions/vote/
	$(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime 30s ./generator/images/

bench-images:
	bench/images/run.sh

bench-votes:
	$(GO) run ./bench/votes

# A whole showcase, Postcard against Hugo: 1k, 10k and 50k stories, cold,
# warm and one story edited. BENCH_SITE_FLAGS="-sizes 1000 -runs 1" for a
# short run; see go run ./bench/site -h.
bench-site: node_modules
	$(GO) run ./bench/site $(BENCH_SITE_FLAGS)

clean:
	rm -rf public functions-dist .postcard-cache
