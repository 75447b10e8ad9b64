#!/usr/bin/env bash
# Benchmarks Postcard's image pipeline against Hugo v0.160.0 on the shared
# photos: cold and warm builds, median of several runs, wall time and peak
# memory. Arguments go to the harness (see `go run ./bench/images -h`), e.g.
#   bench/images/run.sh -runs 5
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

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/bench-images" ./bench/images
"$bin/bench-images" -hugo "$hugo" "$@"
