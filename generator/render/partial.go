package render

// partialCached: a partial made once and shown on many pages.
//
// A story's card is the same on the gallery page, each of its terms' pages
// and its neighbours' pages; the filters of the gallery and term pages are
// the same on every page of a term. On a site of 10,000 stories that is
// some 90,000 cards and 5,000 filter lists (each linking every place and
// tag) made from a few thousand distinct ones, and executing them was most
// of the time spent in layouts. A layout writes
//
//	{{partialCached "partials/card.html" .}}
//	{{partialCached "partials/filters.html" . .Kind .Term}}
//
// where it would write {{template "partials/card.html" .}}, in HTML text
// (not inside a tag or attribute): the partial's output is then made once
// per language and key, and shown as it is everywhere else.
//
// Without variants the key is the data itself, a model value (a story, a
// term): a partial's output depends only on its data and the language, for
// the layouts' functions read nothing that differs from page to page, so
// the cache cannot be wrong.
// With variants, the key is the variants: a promise that the partial shows
// nothing of its data that the variants do not decide. A promise is about
// a partial its author knew, so it is kept only when the partial comes
// from the same layer (the site, its theme, the built-in theme) as every
// file that makes it; a site that overrides partials/filters.html alone
// gets its own filters made on every page, as {{template}} would.

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"sync"
	"text/template/parse"

	"github.com/postcard-ssg/postcard/generator/overlay"
	"github.com/postcard-ssg/postcard/generator/site"
)

// maxVariants is how many variants a partialCached call may name.
const maxVariants = 4

// partials executes and keeps the partials layouts show with
// partialCached. It is safe for concurrent use.
type partials struct {
	// base is each language's set of base.html and partials, parsed and
	// never executed itself, so it can still be cloned.
	base map[string]*template.Template
	// trusted names the partials whose callers' variants are kept.
	trusted map[string]bool

	mu sync.Mutex
	// sets holds a clone of the language's base for each partial, which
	// executes that partial only: html/template escapes a template, and
	// rewrites the trees of those it calls, on its first execution, under
	// the set's lock; with one entry point per set nothing can run a
	// template of the set while it is being escaped.
	sets map[[2]string]*template.Template // language, partial
	made map[partialKey]template.HTML
}

type partialKey struct {
	lang, name string
	variants   bool
	key        [maxVariants]any
}

// forget drops the partials made that may show the text of a story of
// changed, for Memo.Patch, which executes pages again after those
// stories took a new text in the model. A partial made for a story (a
// card) shows that story alone, and one made for variants shows nothing
// of a story that they do not decide, unless a variant is the whole site
// model; any other is made again, as what its data reaches is unknown.
func (ps *partials) forget(changed map[*site.Story]bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for k := range ps.made {
		keep := true
		for _, v := range k.key {
			switch x := v.(type) {
			case *site.Story:
				keep = keep && !changed[x]
			case *site.Site:
				keep = false
			case nil:
			default:
				keep = keep && k.variants
			}
		}
		if !keep {
			delete(ps.made, k)
		}
	}
}

func newPartials() *partials {
	return &partials{base: map[string]*template.Template{}, trusted: map[string]bool{},
		sets: map[[2]string]*template.Template{}, made: map[partialKey]template.HTML{}}
}

// execute returns the partial name of lang's layouts for data, made once
// per key.
func (ps *partials) execute(lang, name string, data any, variants []any) (template.HTML, error) {
	k := partialKey{lang: lang, name: name}
	switch {
	case len(variants) > maxVariants:
		return "", fmt.Errorf("partialCached %q: at most %d variants, not %d", name, maxVariants, len(variants))
	case len(variants) > 0 && !ps.trusted[name]:
		return ps.run(lang, name, data)
	case len(variants) > 0:
		k.variants = true
		copy(k.key[:], variants)
	default:
		if _, ok := data.(*Page); ok {
			return "", fmt.Errorf("partialCached %q: a page differs from every other page; name what the partial shows of it as variants", name)
		}
		k.key[0] = data
	}
	for _, v := range k.key {
		if v != nil && !reflect.ValueOf(v).Comparable() {
			return "", fmt.Errorf("partialCached %q: a %T cannot be a key", name, v)
		}
	}
	ps.mu.Lock()
	out, ok := ps.made[k]
	ps.mu.Unlock()
	if ok {
		return out, nil
	}
	// Two pages may make the same partial at once, each showing its own:
	// the same, as the partial shows nothing but what its key decides.
	out, err := ps.run(lang, name, data)
	if err != nil {
		return "", err
	}
	ps.mu.Lock()
	ps.made[k] = out
	ps.mu.Unlock()
	return out, nil
}

// run executes the partial name of lang's layouts for data.
func (ps *partials) run(lang, name string, data any) (template.HTML, error) {
	ps.mu.Lock()
	set, ok := ps.sets[[2]string{lang, name}]
	if !ok {
		base := ps.base[lang]
		if base == nil || base.Lookup(name) == nil {
			ps.mu.Unlock()
			return "", fmt.Errorf("partialCached: no layout %q in the site or its theme", name)
		}
		var err error
		if set, err = base.Clone(); err != nil {
			ps.mu.Unlock()
			return "", err
		}
		ps.sets[[2]string{lang, name}] = set
	}
	ps.mu.Unlock()
	var b bytes.Buffer
	if err := set.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // escaped by html/template, as {{template}} would be
}

// trust records which partials keep their callers' variants: those that
// come from the same layer as every file that calls them with variants.
// sets are the parsed layouts, each template knowing the file it was
// defined in (Tree.ParseName).
func (ps *partials) trust(theme *overlay.FS, sets ...*template.Template) {
	layer := func(name string) int {
		i, _, err := theme.Which("layouts/" + name)
		if err != nil {
			return -1
		}
		return i
	}
	mixed := map[string]bool{}
	for _, set := range sets {
		for _, t := range set.Templates() {
			if t.Tree == nil {
				continue
			}
			caller := layer(t.Tree.ParseName)
			variantCalls(t.Tree.Root, func(name string) {
				ps.trusted[name] = true
				if l := layer(name); l < 0 || l != caller {
					mixed[name] = true
				}
			})
		}
	}
	for name := range mixed {
		delete(ps.trusted, name)
	}
}

// variantCalls calls found with the partial's name for each partialCached
// call with variants under n.
func variantCalls(n parse.Node, found func(name string)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			variantCalls(c, found)
		}
	case *parse.ActionNode:
		variantCalls(n.Pipe, found)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			variantCalls(c, found)
		}
	case *parse.CommandNode:
		if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "partialCached" && len(n.Args) > 3 {
			if s, ok := n.Args[1].(*parse.StringNode); ok {
				found(s.Text)
			}
		}
		for _, a := range n.Args {
			variantCalls(a, found)
		}
	case *parse.IfNode:
		variantCalls(&n.BranchNode, found)
	case *parse.RangeNode:
		variantCalls(&n.BranchNode, found)
	case *parse.WithNode:
		variantCalls(&n.BranchNode, found)
	case *parse.BranchNode:
		variantCalls(n.Pipe, found)
		variantCalls(n.List, found)
		variantCalls(n.ElseList, found)
	case *parse.TemplateNode:
		variantCalls(n.Pipe, found)
	}
}
