package build

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/postcard-ssg/postcard/generator/confine"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/site"
	"github.com/postcard-ssg/postcard/generator/video"
)

// bundleVideos publishes the videos stories play or link to, beside the
// story's page: the only bundle files besides images that are published.
// Each is checked now (its size against maxBytes, its container parsed,
// a problem reported at the line that names it) and added to the output
// as a Source that streams it with its metadata overwritten, so a video is
// never held whole in memory.
func bundleVideos(root *os.Root, siteDir string, s *site.Site, maxBytes int64, sink *output.Set, errs *diag.List) {
	seen := map[string]bool{}
	for _, st := range s.Stories {
		type ref struct {
			src, name string
			pos       diag.Pos
		}
		var refs []ref
		if v := st.Source.Video; v != nil && v.Provider == "file" && v.Src != "" {
			refs = append(refs, ref{v.Src, v.URL, v.Pos})
		}
		for _, f := range st.Source.Files {
			refs = append(refs, ref{f.Src, f.Name, f.Pos})
		}
		for _, r := range refs {
			name := strings.Trim(st.BundleURL, "/") + "/" + r.name
			if seen[name] {
				continue // the same video, named twice
			}
			seen[name] = true
			size, err := checkVideo(root, r.src, maxBytes)
			if err != nil {
				errs.Add(r.pos, "video %s: %v", r.name, err)
				continue
			}
			src := r.src
			open := func() (io.ReadCloser, error) { return openVideo(siteDir, src, size) }
			if err := sink.AddSource(name, output.Source{Size: size, Open: open}); err != nil {
				errs.Add(r.pos, "video %s: %v", r.name, err)
			}
		}
	}
}

// checkVideo reads src's container structure and returns its size.
func checkVideo(root *os.Root, src string, maxBytes int64) (int64, error) {
	f, st, err := confine.Open(root, src)
	if err != nil {
		return 0, describeOpen(err)
	}
	defer f.Close()
	if st.Size() > maxBytes {
		return 0, fmt.Errorf("file is %d bytes, over the %d byte limit ([images] max_bytes in site.toml)", st.Size(), maxBytes)
	}
	if _, err := video.Scan(f, st.Size(), video.FormatOf(src)); err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// openVideo opens src again when the output is written or served, and
// streams it with its metadata overwritten. The file must not have
// changed since the build checked it.
func openVideo(siteDir, src string, size int64) (io.ReadCloser, error) {
	root, err := os.OpenRoot(siteDir)
	if err != nil {
		return nil, err
	}
	f, st, err := confine.Open(root, src)
	root.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, describeOpen(err))
	}
	if st.Size() != size {
		f.Close()
		return nil, fmt.Errorf("%s changed since the build checked it: build again", src)
	}
	plan, err := video.Scan(f, size, video.FormatOf(src))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{plan.Reader(f), f}, nil
}

func describeOpen(err error) error {
	switch {
	case errors.Is(err, confine.ErrOutside):
		return errors.New("the path goes through a symbolic link: Postcard publishes only plain files of the story's folder")
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("file not found")
	}
	return err
}
