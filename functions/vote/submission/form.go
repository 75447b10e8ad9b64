package submission

// A plain form post that fails is sent back to the form. The site is
// static, so the function keeps the post's text fields and messages in the
// store under a random token for an hour (never the files), redirects to
// FormPath?t=TOKEN, and answers that with the form page the build rendered
// for the post's language (Submissions.FormPages), filled in: each input's
// value, each textarea's text, each checked box and selected option, each
// message in the element with id "error-FIELD", and the list of messages
// in the element with id "form-errors". Messages and values are set as
// text and attribute values through the HTML tree, never pasted as HTML.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// formTTL is how long a failed post waits to be shown again.
const formTTL = time.Hour

// saved is what the store keeps of a failed post.
type saved struct {
	Lang   string            `json:"lang"`
	Values map[string]string `json:"values"`
	Errors []FieldError      `json:"errors"`
}

// backToForm keeps the failed post and redirects to the form that shows it.
func (h *Handler) backToForm(w http.ResponseWriter, r *http.Request, p *post, errs []FieldError) {
	values := map[string]string{}
	for k, v := range p.values {
		if k != "cf-turnstile-response" {
			values[k] = v
		}
	}
	data, err := json.Marshal(saved{Lang: p.lang, Values: values, Errors: errs})
	var token string
	if err == nil {
		token, err = h.token()
	}
	if err == nil {
		err = h.store.SaveForm(r.Context(), token, data, h.now().Add(formTTL))
	}
	if err != nil {
		h.failJSON(w, r, err)
		return
	}
	http.Redirect(w, r, vote.FormPath+"?t="+url.QueryEscape(token), http.StatusSeeOther)
}

// form answers FormPath?t=TOKEN with the filled-in form page.
func (h *Handler) form(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	var s saved
	data, err := h.store.GetForm(r.Context(), token, h.now())
	if err == nil && len(token) <= 64 {
		err = json.Unmarshal(data, &s)
	} else if err == nil {
		err = vote.Errorf(vote.NotFound, "no such form")
	}
	if err != nil {
		if vote.ErrorCode(err) != vote.NotFound {
			h.failJSON(w, r, err)
			return
		}
		// An expired or unknown token: the empty form, with a message.
		s = saved{Lang: h.defaultLang(), Errors: []FieldError{{Field: "form", Code: "expired", Message: h.message(h.defaultLang(), "expired")}}}
	}
	page, ok := h.sub.FormPages[s.Lang]
	if !ok {
		page, ok = h.sub.FormPages[h.defaultLang()]
	}
	if !ok {
		if u := h.sub.FormURLs[s.Lang]; u != "" {
			http.Redirect(w, r, u, http.StatusSeeOther)
			return
		}
		h.failJSON(w, r, vote.Errorf(vote.NotFound, "no form page"))
		return
	}
	base := ""
	if site, err := url.Parse(h.m.Site); err == nil && !strings.EqualFold(site.Host, r.Host) {
		base = strings.TrimSuffix(h.m.Site, "/") + "/"
	}
	out, err := Fill(page, s.Values, s.Errors, base)
	if err != nil {
		h.failJSON(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer") // the token stays out of Referer headers
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

// Fill fills the form page: values by field name, errors beside their
// fields and in a summary, and, when base is not empty, a <base href> so
// that the page's relative links and assets resolve on the site.
func Fill(page string, values map[string]string, errs []FieldError, base string) ([]byte, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, err
	}
	byField := map[string][]string{}
	for _, e := range errs {
		byField[e.Field] = append(byField[e.Field], e.Message)
	}
	placed := map[string]bool{}
	var head, summary *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Head:
				head = n
			case atom.Input:
				fillInput(n, values)
			case atom.Textarea:
				if v, ok := values[attr(n, "name")]; ok {
					for c := n.FirstChild; c != nil; c = n.FirstChild {
						n.RemoveChild(c)
					}
					n.AppendChild(&html.Node{Type: html.TextNode, Data: v})
				}
			case atom.Select:
				if v, ok := values[attr(n, "name")]; ok {
					selectOption(n, v)
				}
			}
			id := attr(n, "id")
			if id == "form-errors" {
				summary = n
			} else if field, ok := strings.CutPrefix(id, "error-"); ok && len(byField[field]) > 0 {
				setText(n, strings.Join(byField[field], " "))
				delAttr(n, "hidden")
				setAttr(n, "role", "alert")
				placed[field] = true
			}
			if name := attr(n, "name"); name != "" && len(byField[name]) > 0 && (n.DataAtom == atom.Input || n.DataAtom == atom.Textarea || n.DataAtom == atom.Select) {
				setAttr(n, "aria-invalid", "true")
				setAttr(n, "aria-describedby", strings.TrimSpace(attr(n, "aria-describedby")+" error-"+name))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if summary != nil && len(errs) > 0 {
		for c := summary.FirstChild; c != nil; c = summary.FirstChild {
			summary.RemoveChild(c)
		}
		delAttr(summary, "hidden")
		setAttr(summary, "role", "alert")
		setAttr(summary, "tabindex", "-1")
		ul := &html.Node{Type: html.ElementNode, Data: "ul", DataAtom: atom.Ul}
		for _, e := range errs {
			li := &html.Node{Type: html.ElementNode, Data: "li", DataAtom: atom.Li}
			if placed[e.Field] {
				a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: "#error-" + e.Field}}}
				a.AppendChild(&html.Node{Type: html.TextNode, Data: e.Message})
				li.AppendChild(a)
			} else {
				li.AppendChild(&html.Node{Type: html.TextNode, Data: e.Message})
			}
			ul.AppendChild(li)
		}
		summary.AppendChild(ul)
	}
	if base != "" && head != nil {
		b := &html.Node{Type: html.ElementNode, Data: "base", DataAtom: atom.Base, Attr: []html.Attribute{{Key: "href", Val: base}}}
		head.InsertBefore(b, head.FirstChild)
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fillInput(n *html.Node, values map[string]string) {
	name := attr(n, "name")
	v, ok := values[name]
	if !ok {
		return
	}
	switch strings.ToLower(attr(n, "type")) {
	case "file", "password", "hidden", "submit", "button", "image", "reset":
		return
	case "checkbox", "radio":
		if attr(n, "value") == v {
			setAttr(n, "checked", "")
		} else {
			delAttr(n, "checked")
		}
	default:
		setAttr(n, "value", v)
	}
}

func selectOption(sel *html.Node, v string) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Option {
			val, has := attrOK(n, "value")
			if !has {
				val = strings.TrimSpace(text(n))
			}
			if val == v {
				setAttr(n, "selected", "")
			} else {
				delAttr(n, "selected")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(sel)
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func setText(n *html.Node, s string) {
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
	}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: s})
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func delAttr(n *html.Node, key string) {
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Namespace == "" && a.Key == key })
}
