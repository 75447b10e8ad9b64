package images

import (
	"fmt"
	"strconv"
	"strings"
)

// Focus is the point of interest of an image, as fractions of its upright
// width (X) and height (Y), 0 to 1. Crops keep it as close to their centre
// as the image allows. The zero value means the centre; the top-left
// corner, which has the same coordinates, comes from [ParseFocus]("top-left").
type Focus struct {
	X, Y float64
	// corner marks a real (0, 0), told apart from the zero value.
	corner bool
}

// point returns f with the zero value read as the centre.
func (f Focus) point() (x, y float64) {
	if f.X == 0 && f.Y == 0 && !f.corner {
		return 0.5, 0.5
	}
	return f.X, f.Y
}

// String returns f in the form ParseFocus reads, "x,y".
func (f Focus) String() string {
	x, y := f.point()
	return strconv.FormatFloat(x, 'f', -1, 64) + "," + strconv.FormatFloat(y, 'f', -1, 64)
}

var namedFocus = map[string]Focus{
	"center": {X: 0.5, Y: 0.5}, "centre": {X: 0.5, Y: 0.5},
	"top": {X: 0.5, Y: 0}, "bottom": {X: 0.5, Y: 1}, "left": {X: 0, Y: 0.5}, "right": {X: 1, Y: 0.5},
	"top-left": {corner: true}, "top-right": {X: 1, Y: 0}, "bottom-left": {X: 0, Y: 1}, "bottom-right": {X: 1, Y: 1},
}

// ParseFocus reads a focal point from front matter: a name ("center",
// "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left",
// "bottom-right"; "left-top" and the like also work) or "x,y" fractions such
// as "0.3,0.7". An empty string is the centre.
func ParseFocus(s string) (Focus, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Focus{X: 0.5, Y: 0.5}, nil
	}
	if f, ok := namedFocus[s]; ok {
		return f, nil
	}
	if a, b, ok := strings.Cut(s, "-"); ok {
		if f, ok := namedFocus[b+"-"+a]; ok {
			return f, nil
		}
	}
	xs, ys, ok := strings.Cut(s, ",")
	if !ok {
		return Focus{}, fmt.Errorf("focus %q: want a position such as \"top\" or \"top-left\", or \"x,y\" fractions such as \"0.3,0.7\"", s)
	}
	x, errx := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, erry := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	if errx != nil || erry != nil || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1) {
		return Focus{}, fmt.Errorf("focus %q: x and y must be numbers from 0 to 1", s)
	}
	return Focus{X: x, Y: y, corner: x == 0 && y == 0}, nil
}
