package content

import "testing"

func TestKinds(t *testing.T) {
	seen := map[string]bool{}
	for i, k := range Kinds() {
		if k.Slug == "" || k.Name == "" || k.Plural == "" || k.SchemaType == "" {
			t.Errorf("kind %d is missing a name: %+v", i, k)
		}
		if seen[k.Slug] {
			t.Errorf("kind %q is listed twice", k.Slug)
		}
		seen[k.Slug] = true
		got, ok := KindOf(k.Slug)
		if !ok || got != k || KindIndex(k.Slug) != i || k.String() != k.Slug {
			t.Errorf("KindOf(%q) = %+v, %v; KindIndex = %d", k.Slug, got, ok, KindIndex(k.Slug))
		}
	}
	if _, ok := KindOf("essay"); ok || KindIndex("essay") != -1 {
		t.Error("an unknown kind was found")
	}
	for slug, want := range map[string][3]bool{
		"photo": {true, false, false},
		"video": {false, true, false},
		"story": {false, false, false},
		"poem":  {false, false, true},
	} {
		k, _ := KindOf(slug)
		if got := [3]bool{k.NeedsPicture, k.Video, k.LineBreaks}; got != want {
			t.Errorf("%s: needs picture, video, line breaks = %v, want %v", slug, got, want)
		}
	}
}
