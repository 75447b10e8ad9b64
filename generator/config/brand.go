package config

// Brand values end up inside the theme's stylesheet and on every page, so
// they are checked for what they are and nothing more: a font setting is a
// font-family list (one stray "/*" once commented out the whole stylesheet),
// and the logo is a file of the site's static/ folder (a leading "/" once
// turned it into a protocol-relative URL on another host).

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
)

// maxFontList bounds a font setting; real lists are far shorter.
const maxFontList = 300

// checkFontList accepts a CSS font-family list: comma-separated families,
// each a quoted name without quotes, backslashes or line breaks inside, or
// unquoted words of letters, digits, hyphens and underscores separated by
// spaces, not starting with a digit (which covers generic families such as
// serif).
func checkFontList(s string) error {
	if len(s) > maxFontList {
		return fmt.Errorf("it is longer than %d bytes", maxFontList)
	}
	for i, fam := range splitFamilies(s) {
		fam = strings.TrimSpace(fam)
		n := i + 1
		switch {
		case fam == "":
			return fmt.Errorf("family %d is empty", n)
		case fam[0] == '"' || fam[0] == '\'':
			q := fam[0]
			if len(fam) < 2 || fam[len(fam)-1] != q {
				return fmt.Errorf("family %d, %s, is not closed by a matching quote", n, fam)
			}
			inner := fam[1 : len(fam)-1]
			if strings.TrimSpace(inner) == "" {
				return fmt.Errorf("family %d is an empty name", n)
			}
			if i := strings.IndexAny(inner, "\"'\\\n\r\f"); i >= 0 {
				return fmt.Errorf("family %d, %s, holds %q; a quoted name may not hold quotes, backslashes or line breaks", n, fam, inner[i])
			}
		default:
			for _, w := range strings.Fields(fam) {
				if unicode.IsDigit(rune(w[0])) || strings.HasPrefix(w, "--") {
					return fmt.Errorf("family %d, %s, must be quoted (an unquoted name cannot start with a digit or \"--\")", n, fam)
				}
				for _, r := range w {
					if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
						return fmt.Errorf("family %d, %s, holds %q; quote names with anything but letters, digits, hyphens and spaces", n, fam, r)
					}
				}
			}
			if strings.ContainsAny(fam, "\t\n\r\f") {
				return fmt.Errorf("family %d holds a line break or tab", n)
			}
		}
	}
	return nil
}

// splitFamilies splits at commas outside quotes. An unclosed quote keeps
// the rest in one piece, for checkFontList to refuse.
func splitFamilies(s string) []string {
	var out []string
	var quote byte
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// logoTypes are the image formats a logo may be.
var logoTypes = []string{".svg", ".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif"}

// checkLogo accepts a relative path, such as "logo.svg" or "brand/logo.png",
// to an image file in the site's static/ folder (or its theme's, under
// themes/NAME/static/), whose symbolic links, if any, stay in that folder.
// With fsys nil only the path is checked. The error completes "brand.logo
// %q ...".
func checkLogo(fsys fs.FS, logo, theme string) error {
	const rule = `must be the path of an image file in static/, such as "logo.svg"`
	switch {
	case logo == "":
		return errors.New(rule)
	case strings.HasPrefix(logo, "/") || strings.Contains(logo, ":") || strings.Contains(logo, `\`):
		return fmt.Errorf("%s, not a URL or an absolute path", rule)
	case !fs.ValidPath(logo) || path.Clean(logo) != logo:
		return fmt.Errorf("%s, with no \"..\", \".\" or empty parts", rule)
	}
	for _, r := range logo {
		if !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("-_./", r)) {
			return fmt.Errorf("%s; name it with letters, digits, hyphens, underscores and dots only", rule)
		}
	}
	ext := strings.ToLower(path.Ext(logo))
	found := false
	for _, t := range logoTypes {
		found = found || ext == t
	}
	if !found {
		return fmt.Errorf("%s; it must be one of %s", rule, strings.Join(logoTypes, ", "))
	}
	if fsys == nil {
		return nil
	}
	dirs := []string{"static"}
	if theme != "" && !strings.ContainsAny(theme, `/\.`) {
		dirs = append(dirs, path.Join("themes", theme, "static"))
	}
	var lastErr error
	for _, dir := range dirs {
		err := regularFileIn(fsys, dir, logo)
		if err == nil {
			return nil
		}
		if lastErr == nil || !errors.Is(err, fs.ErrNotExist) {
			lastErr = err
		}
	}
	if errors.Is(lastErr, fs.ErrNotExist) {
		return errors.New("is not a file in static/")
	}
	return lastErr
}

// regularFileIn checks that dir/name is a regular file once its symbolic
// links are followed, and that none of them leads out of dir.
func regularFileIn(fsys fs.FS, dir, name string) error {
	p := path.Join(dir, name)
	for hops := 0; ; hops++ {
		if hops > 16 {
			return errors.New("is a chain of too many symbolic links")
		}
		target, link, err := firstLink(fsys, p)
		if err != nil {
			return err
		}
		if !link {
			st, err := fs.Stat(fsys, p)
			if err != nil {
				return err
			}
			if !st.Mode().IsRegular() {
				return fmt.Errorf("is not a regular file in %s/", dir)
			}
			return nil
		}
		if target == "" || !strings.HasPrefix(target, dir+"/") {
			return fmt.Errorf("is a symbolic link leading out of %s/", dir)
		}
		p = target
	}
}

// firstLink finds the first symbolic link among p's parts and returns p with
// that link replaced by its target ("" when the target is absolute or
// climbs out of fsys).
func firstLink(fsys fs.FS, p string) (string, bool, error) {
	parts := strings.Split(p, "/")
	for i := range parts {
		q := strings.Join(parts[:i+1], "/")
		st, err := fs.Lstat(fsys, q)
		if err != nil {
			return "", false, err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		t, err := fs.ReadLink(fsys, q)
		if err != nil {
			return "", false, err
		}
		if path.IsAbs(t) || strings.Contains(t, `\`) {
			return "", true, nil
		}
		joined := path.Join(path.Dir(q), t)
		if joined == ".." || strings.HasPrefix(joined, "../") {
			return "", true, nil
		}
		return path.Join(append([]string{joined}, parts[i+1:]...)...), true, nil
	}
	return p, false, nil
}
