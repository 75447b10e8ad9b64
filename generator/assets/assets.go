// Package assets publishes the theme's stylesheets and scripts under
// content-hashed names, with Subresource Integrity, so they can be cached
// forever and a changed file is fetched at once.
package assets

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/postcard-ssg/postcard/generator/render"
)

// Sink receives the published files.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Build publishes every assets/css/*.css and assets/js/*.js file found in the
// first layer that has it, and returns them by logical name ("css/main.css").
func Build(layers []fs.FS, sink Sink) (render.Assets, error) {
	out := render.Assets{}
	for _, dir := range []string{"assets/css", "assets/js"} {
		seen := map[string]bool{}
		for _, l := range layers {
			entries, err := fs.ReadDir(l, dir)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() || seen[name] || strings.HasPrefix(name, ".") {
					continue
				}
				ext := path.Ext(name)
				if ext != ".css" && ext != ".js" {
					continue
				}
				seen[name] = true
				data, err := fs.ReadFile(l, dir+"/"+name)
				if err != nil {
					return nil, err
				}
				logical := strings.TrimPrefix(dir, "assets/") + "/" + name
				a, err := Publish(logical, data, sink)
				if err != nil {
					return nil, err
				}
				out[logical] = a
			}
		}
	}
	return out, nil
}

// Publish writes data under a fingerprinted version of logical and returns
// its URL and integrity.
func Publish(logical string, data []byte, sink Sink) (render.Asset, error) {
	sum := sha256.Sum256(data)
	ext := path.Ext(logical)
	name := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	if err := sink.WriteFile(name, data); err != nil {
		return render.Asset{}, fmt.Errorf("publishing %s: %w", logical, err)
	}
	sri := sha512.Sum384(data)
	return render.Asset{URL: "/" + name, Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:])}, nil
}
