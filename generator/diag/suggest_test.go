package diag

import "testing"

func TestNearest(t *testing.T) {
	known := []string{"title", "ambassador", "pagination", "landscape", "people", "Pier.JPG", "granted-to-destination"}
	tests := []struct{ word, want string }{
		{"titel", "title"},
		{"ambasador", "ambassador"},
		{"paginaton", "pagination"},
		{"landscpae", "landscape"},
		{"pier.jpg", "Pier.JPG"},
		{"title", ""},
		{"colour", ""},
		{"peopel", "people"},
		{"granted-to-destinaton", "granted-to-destination"},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := Nearest(tt.word, known); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := DidYouMean("titel", known); got != `; did you mean "title"?` {
		t.Errorf("DidYouMean = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"abc", "ab", 1}, {"abc", "xbc", 1}, {"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
