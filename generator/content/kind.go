package content

import "slices"

// Kind is a kind of story: how people call it, and what its front matter
// must hold. Every list of kinds (the front matter's allowed values, the
// kinds taxonomy and its order, badges, structured data) comes from Kinds.
type Kind struct {
	Slug   string // as written in front matter and in URLs: "photo"
	Name   string // one, for people: "Photo"
	Plural string // several, for people: "Photos"
	// NeedsPicture is true when a story of this kind needs a cover or a
	// gallery.
	NeedsPicture bool
	// Video is true when a story of this kind needs a video (a provider's
	// URL or a file of the bundle); no other kind may have one.
	Video bool
	// LineBreaks is true when the body keeps its line breaks, as a poem's
	// lines.
	LineBreaks bool
	// SchemaType is the story's schema.org type, for structured data.
	SchemaType string
}

// String is the kind's slug.
func (k Kind) String() string { return k.Slug }

// Kinds returns the kinds of story, in display order.
func Kinds() []Kind {
	return []Kind{
		{Slug: "photo", Name: "Photo", Plural: "Photos", NeedsPicture: true, SchemaType: "Photograph"},
		{Slug: "video", Name: "Video", Plural: "Videos", Video: true, SchemaType: "VideoObject"},
		{Slug: "story", Name: "Story", Plural: "Stories", SchemaType: "Article"},
		{Slug: "poem", Name: "Poem", Plural: "Poems", LineBreaks: true, SchemaType: "CreativeWork"},
	}
}

// KindOf returns the kind called slug, and whether there is one.
func KindOf(slug string) (Kind, bool) {
	kinds := Kinds()
	if i := KindIndex(slug); i >= 0 {
		return kinds[i], true
	}
	return Kind{}, false
}

// KindIndex is the place of the kind called slug in display order, or -1.
func KindIndex(slug string) int {
	return slices.IndexFunc(Kinds(), func(k Kind) bool { return k.Slug == slug })
}

// KindSlugs returns the kinds' slugs, in display order.
func KindSlugs() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, k.Slug)
	}
	return out
}
