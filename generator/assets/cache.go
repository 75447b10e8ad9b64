package assets

// Compiling the stylesheets and bundling the scripts take a noticeable
// part of a small site's build, and their result depends only on the
// theme's assets/ files, the brand settings and the tools that compile
// them. With Options.CacheDir set, Build keeps what it published under a
// hash of those inputs, so a build where none of them changed compiles
// nothing:
//
//   - every file under assets/ as the overlay shows it (the site's over
//     its theme's), by path and contents;
//   - the brand from site.toml;
//   - Dart Sass, when the stylesheets are compiled (the theme ships none
//     compiled for this SCSS): its executable's path, size and time;
//   - the running postcard executable's size and time and the versions of
//     esbuild, minify and the Dart Sass protocol it was built with, so an
//     upgraded or rebuilt Postcard compiles again.
//
// Dart Sass's warnings are kept with the files, so a warm build shows them
// as a cold one does.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/postcard-ssg/postcard/generator/diag"
)

// cached is one build's published assets, as kept in the cache.
type cached struct {
	Files    map[string][]byte `json:"files"` // by logical name
	Warnings []string          `json:"warnings,omitempty"`
}

// cacheKey hashes the inputs of an asset build; "" when one of them cannot
// be read, and then nothing is cached.
func cacheKey(o Options, src *sources) string {
	h := sha256.New()
	err := fs.WalkDir(o.Theme, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := o.Theme.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	brand, err := json.Marshal(o.Brand)
	if err != nil {
		return ""
	}
	h.Write(brand)
	if len(src.scss) > 0 {
		if css, err := precompiled(o.Theme, src.scss); err != nil {
			return ""
		} else if css == nil {
			bin, err := FindSass(o.SiteDir, o.SassBinary, o.Env)
			if err != nil {
				return "" // compiling reports it
			}
			st, err := os.Stat(bin)
			if err != nil {
				return ""
			}
			fmt.Fprintf(h, "sass\x00%s\x00%d\x00%d\x00", bin, st.Size(), st.ModTime().UnixNano())
		}
	}
	h.Write([]byte(toolsID()))
	return hex.EncodeToString(h.Sum(nil))
}

// toolsID names the code that compiles: the running executable and the
// modules that do the work.
func toolsID() string {
	var b strings.Builder
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintf(&b, "%d\x00%d\x00", st.Size(), st.ModTime().UnixNano())
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.Main.Version)
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/evanw/esbuild", "github.com/tdewolff/minify/v2", "github.com/bep/godartsass/v2":
				b.WriteString("\x00" + d.Path + "@" + d.Version)
			}
		}
	}
	return b.String()
}

func cachePath(dir, key string) string { return filepath.Join(dir, key+".json") }

// loadCached returns the assets kept under key, if any.
func loadCached(dir, key string) (*cached, bool) {
	if dir == "" || key == "" {
		return nil, false
	}
	data, err := os.ReadFile(cachePath(dir, key))
	if err != nil {
		return nil, false
	}
	var c cached
	if json.Unmarshal(data, &c) != nil || c.Files == nil {
		return nil, false
	}
	return &c, true
}

// storeCached keeps c under key, replacing what was kept before: one
// theme, one brand, one set of assets.
func storeCached(dir, key string, c *cached) error {
	if dir == "" || key == "" {
		return nil
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if old, err := filepath.Glob(filepath.Join(dir, "*.json")); err == nil {
		for _, p := range old {
			os.Remove(p)
		}
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		os.Remove(f.Name())
		return werr
	}
	return os.Rename(f.Name(), cachePath(dir, key))
}

func sassWarnings(ws []*diag.Error) []string {
	var out []string
	for _, w := range ws {
		out = append(out, strings.TrimPrefix(w.Msg, "Dart Sass: "))
	}
	return out
}

func fromSassWarnings(ws []string) []*diag.Error {
	var out []*diag.Error
	for _, w := range ws {
		out = append(out, diag.Errorf(diag.Pos{}, "Dart Sass: %s", w))
	}
	return out
}
