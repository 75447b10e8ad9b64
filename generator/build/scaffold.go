package build

// What `postcard new` needs to know of a site to scaffold content that
// passes check: the slug a title makes, and the ambassadors and contests
// a new story may name. The command line asks here, as it must not import
// a stage.

import (
	"os"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/site"
)

// Slug makes the slug of a title: "Summer on Saarivesi 2027" is
// "summer-on-saarivesi-2027". It keeps letters outside Latin script, which
// a content file's name may not hold: the caller checks.
func Slug(title string) string { return site.Slugify(title) }

// Names are the entries of a site's content a scaffold may refer to.
type Names struct {
	// Ambassadors maps each ambassador's slug to their name.
	Ambassadors map[string]string
	// Contests maps each contest's slug to its categories.
	Contests map[string][]string
}

// ContentNames reads the ambassadors and contests of the site in source.
// Content with mistakes is read as far as it can be: a scaffold does not
// wait for the rest of the site to be fixed.
func ContentNames(source string) (*Names, error) {
	root, err := os.OpenRoot(source)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	c, _ := content.Load(root.FS(), content.Options{})
	n := &Names{Ambassadors: map[string]string{}, Contests: map[string][]string{}}
	if c == nil {
		return n, nil
	}
	for _, a := range c.Ambassadors {
		n.Ambassadors[a.Slug] = a.Name
	}
	for _, k := range c.Contests {
		n.Contests[k.Slug] = k.Categories
	}
	return n, nil
}
