#!/usr/bin/env bash
# Benchmarks Postcard's image pipeline against Hugo v0.160.0 on the shared
# photos: cold and warm builds, median of several runs, wall time, CPU time
# and peak memory. Arguments go to the harness (see `go run ./bench/images
# -h`), e.g.
#   bench/images/run.sh -runs 5
#   BENCH_TAGS=nodynamic bench/images/run.sh -skip-hugo   # WebAssembly libwebp
# The photos are found at ../shared/photos beside the repository, or
# $POSTCARD_PHOTOS.
set -euo pipefail
cd "$(dirname "$0")/../.."

HUGO_VERSION=v0.160.0
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
hugo="$gobin/hugo"
if ! { [ -x "$hugo" ] && "$hugo" version 2>/dev/null | grep -q "${HUGO_VERSION}"; }; then
	echo "installing hugo ${HUGO_VERSION}..." >&2
	go install "github.com/gohugoio/hugo@${HUGO_VERSION}"
fi

# The pipeline encodes WebP with the system's libwebp when it can load
# libwebp.so (Debian: libwebp-dev), else with its WebAssembly build, about
# twice as slow. Install it where we may, so the figures are the fast path.
if [ "${BENCH_TAGS:-}" != "nodynamic" ] && ! ldconfig -p 2>/dev/null | grep -q 'libwebp\.so '; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing libwebp-dev..." >&2
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libwebp-dev >/dev/null
	else
		echo "warning: libwebp.so not found (Debian: libwebp-dev); measuring the WebAssembly encoder" >&2
	fi
fi

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -tags "${BENCH_TAGS:-}" -o "$bin/bench-images" ./bench/images
"$bin/bench-images" -hugo "$hugo" "$@"
