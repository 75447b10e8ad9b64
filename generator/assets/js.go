package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/overlay"
)

// jsTarget is the oldest JavaScript the bundles may use: what every
// browser of the last few years runs.
const jsTarget = api.ES2020

// themeNS is esbuild's namespace for files read from the theme.
const themeNS = "postcard-theme"

// bundleJS bundles each entry point (logical name → path in the theme) on
// its own: every feature is a separate, self-contained file, so a page loads
// the features it uses and nothing else, in one request each.
func bundleJS(theme *overlay.FS, entries map[string]string) (map[string][]byte, error) {
	out := map[string][]byte{}
	var errs []error
	for _, logical := range sortedKeys(entries) {
		file := entries[logical]
		res := api.Build(api.BuildOptions{
			EntryPoints:       []string{file},
			Bundle:            true,
			Write:             false,
			Outfile:           "out.js",
			Format:            api.FormatIIFE,
			Target:            jsTarget,
			Platform:          api.PlatformBrowser,
			MinifyWhitespace:  true,
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			LegalComments:     api.LegalCommentsNone,
			Charset:           api.CharsetUTF8,
			LogLevel:          api.LogLevelSilent,
			Plugins:           []api.Plugin{themePlugin(theme)},
		})
		if len(res.Errors) > 0 {
			for _, m := range res.Errors {
				errs = append(errs, esbuildError(file, m))
			}
			continue
		}
		for _, f := range res.OutputFiles {
			if path.Ext(f.Path) == ".js" {
				out[logical] = f.Contents
			}
		}
	}
	return out, errors.Join(errs...)
}

// themePlugin makes esbuild read every file from the theme's overlay, so
// a site overrides one module of a script by writing a file of the same
// name. Bare imports (npm packages) are not supported: the theme's scripts
// stand alone.
func themePlugin(theme *overlay.FS) api.Plugin {
	return api.Plugin{
		Name: "postcard-theme",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				p := a.Path
				switch {
				case a.Kind == api.ResolveEntryPoint:
				case strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../"):
					p = path.Join(path.Dir(a.Importer), p)
				default:
					return api.OnResolveResult{}, fmt.Errorf("cannot import %q: theme scripts may import only relative files (./x.js)", a.Path)
				}
				for _, c := range []string{p, p + ".js", p + "/index.js"} {
					if st, err := theme.Stat(c); err == nil && !st.IsDir() {
						return api.OnResolveResult{Path: c, Namespace: themeNS}, nil
					}
				}
				return api.OnResolveResult{}, fmt.Errorf("%s: no such file in the site or its theme", p)
			})
			b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: themeNS}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				data, err := theme.ReadFile(a.Path)
				if errors.Is(err, fs.ErrNotExist) {
					return api.OnLoadResult{}, fmt.Errorf("%s: no such file", a.Path)
				}
				if err != nil {
					return api.OnLoadResult{}, err
				}
				s := string(data)
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
			})
		},
	}
}

func esbuildError(entry string, m api.Message) error {
	if m.Location == nil {
		return diag.Errorf(diag.Pos{File: entry}, "%s", m.Text)
	}
	return diag.Errorf(diag.Pos{File: m.Location.File, Line: m.Location.Line, Col: m.Location.Column + 1}, "%s", m.Text)
}
