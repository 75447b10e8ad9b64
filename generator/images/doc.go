// Package images is Postcard's image pipeline: it turns the photos that
// contributors send (phone JPEGs, PNGs, WebP, GIF, iPhone HEIC) into the
// responsive, private, upright files a showcase publishes, and the
// <picture> markup that shows them.
//
// It exists as a stage of its own because images are the slowest, most
// memory-hungry and most privacy-sensitive part of a build. It runs after
// the site model and before rendering: the build lists a [Request] for
// every image the published site shows (covers, galleries, avatars, the
// images in bodies), each with the folder its files go to; [Processor.Process]
// does them all in parallel and returns an [Image] per source, which the
// render stage's templates and Markdown image hook then only place.
//
// # What happens to a source
//
//   - It is read through the site's [os.Root], so no path can leave the site
//     (no "..", no absolute path, no symbolic link at all: content resolves a link that stays in its
//     story's folder to its target first), and refused if it is
//     larger than [Config.MaxBytes].
//   - Its format is told from its first bytes, its size read from its header
//     (for HEIC, from the file's ispe box), and a source over
//     [Config.MaxPixels] is refused before a pixel is decoded: a 40000x40000
//     PNG bomb fails in microseconds. Decoders run under recover, so a
//     corrupt file is an [*Error] for that file, never a crash.
//   - It is decoded once and turned upright by its EXIF orientation (all
//     eight; HEIC's irot/imir are applied by its decoder). Every width is
//     derived from that one decode, largest first, each from the previous:
//     large sources are first halved by 2x2 averages straight from the
//     decoder's Y'CbCr planes, then scaled with Catmull-Rom. Widths are never
//     upscaled: wider ones give way to the source's own width.
//   - Colours are converted to sRGB when the source says it is in another RGB
//     space (an ICC matrix-shaper profile such as Display P3, or a HEIF nclx
//     P3 description); see icc.go.
//   - Each width is encoded as WebP (and AVIF when configured, listed first)
//     and as a fallback, JPEG, or PNG when the image has transparency. A 1200x630 social card (JPEG) is cropped around
//     the request's [Focus] when asked. A 16-pixel-wide WebP preview becomes
//     the placeholder data: URI, and the average colour is kept too.
//
// Every published file is re-encoded from pixels, so no EXIF, XMP, IPTC or
// ICC data of the original survives: no GPS position, camera serial, owner
// name or capture time. Originals and HEIC files are never published.
//
// # Memory and parallelism
//
// Sources are decoded and encoded by [Config.Workers] goroutines (default
// GOMAXPROCS) under a budget of decoded pixels in flight
// ([Config.MemoryBudget]), not just a worker count; reading sources and
// publishing cached files, which wait on the disk, use more goroutines.
// After a very large source the Processor runs a garbage collection, so one
// 15-megapixel photo does not set the process's peak at twice its size.
//
// # Cache
//
// Results are content-addressed: a file's name carries eight hex digits of
// the hash of the source bytes, the operation and [EncoderVersion], and the
// same hash keys the on-disk cache ([Config.CacheDir]; sites use
// .postcard-cache/images). A warm build with nothing changed decodes no
// pixels and does not even read unchanged sources: dimensions, placeholder
// and colour come from a small JSON entry per source, and a [LinkSink]
// (postcard build's output.Writer) publishes cached files by hard link. Two builds may share a cache at once;
// [Processor.Prune] removes what no build uses. See cache.go.
//
// # WebP encoder
//
// WebP is encoded with libwebp through github.com/gen2brain/webp, which
// runs libwebp compiled to WebAssembly (pure Go, through wazero) and, when
// the system's libwebp.so can be loaded (Debian: libwebp-dev), calls that
// instead at run time through purego: no cgo and no C compiler, and the same
// binary works on a machine without the library. Measured on 100 phone
// photos into 3 widths x (WebP + JPEG), 2 cores (BENCHMARKS.md, "Images"),
// the system library builds the set in about half the wall time of the
// WebAssembly build; a cgo binding of our own would call the same library
// at the same speed, at the price of cgo in every build, so there is none.
// The encoder in use is part of the cache key ([EncoderVersion]), so
// switching never serves stale files.
package images
