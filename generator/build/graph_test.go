package build

import (
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The build's data flows one way, and this test holds the packages to it
// by reading their imports (test files aside): a stage imports only stages
// before it, build imports the stages and nothing imports build but the
// dev server and the command line, which imports nothing else of the
// generator.
//
// Each generator package has a rank; a package may import only packages
// of a lower rank. diag (errors with a place) and confine (the site's
// folder, without leaving it) are the vocabulary of every stage, at rank 0.
// A new package under generator/ fails this test until it is given a rank.
//
// Stages may import functions/vote, which is a domain package, not a
// stage: content takes a contest's defaults (network_quota, challenge)
// from it, and build and function the manifest type.
var stageRank = map[string]int{
	"diag":        0,
	"confine":     0,
	"overlay":     0, // the theme's layers as one file system, read by assets and render
	"frontmatter": 1,
	"markdown":    1,
	"config":      2,
	"i18n":        2, // the theme's translation strings, read through the overlay for render
	"content":     3,
	"results":     3, // final vote counts, read for the site model
	"site":        4,
	"images":      5,
	"video":       5,
	"assets":      6,
	"render":      7,
	"output":      8,
	"function":    8, // the voting function, compiled after the site is written
	"build":       9,
	"submissions": 9, // the editor's side of submissions: pulls them into content/
	"devserver":   10,
}

// knownCrossings are imports that break the order today, each with the
// reason it is tolerated. The test fails when one disappears, so that the
// list only shrinks.
var knownCrossings = map[string]string{
	// The submission endpoint checks a post with the very rules check
	// applies to a story, and reads photo headers as the build does, so
	// that the two can never disagree.
	"functions/vote/submission -> generator/content":  "a post's kind, licence and video URL follow the story's rules",
	"functions/vote/submission -> generator/markdown": "a post's body follows Markdown's URL allowlist",
	"functions/vote/submission -> generator/images":   "a photo's format and pixel size are read by the image stage's header reader",
}

// cmdImports are the packages of this module that cmd/postcard may use:
// the orchestrator, the dev server, the error vocabulary it prints, and
// the voting function's own packages for the votes commands.
var cmdImports = []string{
	"generator/build",
	"generator/devserver",
	"generator/diag",
	"generator/submissions", // postcard submissions
	"functions/vote",
	"functions/vote/server",
	"functions/vote/storepath",
	"functions/vote/lambda", // the binary runs as the deployed voting function
}

const modulePath = "github.com/postcard-ssg/postcard/"

func TestPackageGraph(t *testing.T) {
	graph := moduleImports(t, filepath.Join("..", ".."))
	seen := map[string]bool{}
	for pkg, imports := range graph {
		for _, imp := range imports {
			edge := pkg + " -> " + imp
			if _, ok := knownCrossings[edge]; ok {
				seen[edge] = true
				continue
			}
			switch {
			case strings.HasPrefix(pkg, "generator/") && strings.HasPrefix(imp, "generator/"):
				from, fok := stageRank[strings.TrimPrefix(pkg, "generator/")]
				to, tok := stageRank[strings.TrimPrefix(imp, "generator/")]
				if !fok || !tok {
					continue // reported below
				}
				if to >= from {
					t.Errorf("%s imports %s: a stage imports only stages before it", pkg, imp)
				}
			case strings.HasPrefix(pkg, "functions/") && strings.HasPrefix(imp, "generator/"):
				// The voting function is deployed alone: it knows nothing
				// of the generator.
				t.Errorf("%s imports %s: the voting function does not depend on the generator", pkg, imp)
			case pkg == "cmd/postcard" && !slices.Contains(cmdImports, imp):
				t.Errorf("cmd/postcard imports %s: the command line builds through generator/build only", imp)
			case imp == "generator/build" && pkg != "generator/devserver" && pkg != "cmd/postcard":
				t.Errorf("%s imports generator/build: no stage knows the orchestrator", pkg)
			}
		}
	}
	for pkg := range graph {
		if name, ok := strings.CutPrefix(pkg, "generator/"); ok && !strings.Contains(name, "/") {
			if _, ok := stageRank[name]; !ok {
				t.Errorf("%s has no place in the build's order: give it a rank in stageRank", pkg)
			}
		}
	}
	for edge, why := range knownCrossings {
		if !seen[edge] {
			t.Errorf("%s is gone (%s): remove it from knownCrossings", edge, why)
		}
	}
	// build knows every stage.
	for name, rank := range stageRank {
		if rank == 0 || rank >= stageRank["build"] || name == "frontmatter" {
			continue // frontmatter is content's and config's own business
		}
		if !slices.Contains(graph["generator/build"], "generator/"+name) {
			t.Errorf("generator/build does not import generator/%s: the orchestrator should run every stage", name)
		}
	}
}

// moduleImports maps every package of the module under root (by its path
// in the module) to the module's packages its non-test files import.
func moduleImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		set := map[string]bool{}
		for _, imp := range graph[pkg] {
			set[imp] = true
		}
		for _, s := range f.Imports {
			ip, _ := strconv.Unquote(s.Path.Value)
			if name, ok := strings.CutPrefix(ip, modulePath); ok {
				set[path.Clean(name)] = true
			}
		}
		graph[pkg] = slices.Sorted(maps.Keys(set))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return graph
}
