// Package images is Postcard's image pipeline: it turns the photos that
// contributors send (phone JPEGs, PNGs, WebP, GIF, iPhone HEIC) into the
// responsive, private, upright files a showcase publishes.
//
// It exists as a stage of its own because images are the slowest, most
// memory-hungry and most privacy-sensitive part of a build: every source is
// read through an [os.Root] (it can never leave the site), its dimensions are
// checked before a single pixel is decoded (decompression bombs and oversized
// files are refused with an [*Error] naming the file), it is decoded exactly
// once, turned upright from its EXIF orientation, and every configured width
// is derived from it, largest first, each from the previous one. Sources are
// processed in parallel under a budget of decoded pixels in flight, not just
// a worker count, so a build of many full-size phone photos stays within a
// predictable amount of memory.
//
// Every published file is re-encoded from pixels, so no EXIF, XMP, IPTC or
// ICC data of the original survives (no GPS position, camera serial, owner
// name or capture time). Originals and HEIC files are never published.
//
// Results are content-addressed: a file's name carries eight hex digits of
// the hash of the source bytes, the operation and the encoder version, and
// the same hash keys the on-disk cache (see [Config.CacheDir]). A warm build
// with nothing changed decodes no pixels: dimensions, placeholder and colour
// come from a small JSON entry per source. See cache.go for the cache's
// layout and its rules for concurrent builds and pruning.
//
// # WebP encoder
//
// WebP is encoded by github.com/gen2brain/webp. That package runs libwebp
// compiled to WebAssembly (pure Go, through wazero), and when the system's
// libwebp.so is present (Debian: libwebp-dev) it loads that instead at run
// time through purego, which needs no cgo and no C compiler. The measured
// difference is recorded in BENCHMARKS.md under "Images"; the encoder in use
// is part of the cache key (see [EncoderVersion]) so switching between them
// never serves stale files.
package images
