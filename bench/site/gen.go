package main

// The synthetic showcase: one deterministic set of stories, ambassadors,
// contests, places and tags, written twice, once as a Postcard site and
// once as the equivalent Hugo content. The committed Hugo theme in hugo/ is
// copied beside the Hugo content.

import (
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

//go:embed all:hugo
var hugoTheme embed.FS

// showcase is the generated content, independent of either tool's format.
type showcase struct {
	stories     []*story
	ambassadors []*ambassador
	contests    []*contest
}

type story struct {
	slug, title  string
	ambassador   *ambassador
	date         time.Time
	kind         string // story | poem | video | photo
	place        string
	tags         []string
	featured     bool
	contest      *contest
	category     string
	video        string
	cover        string // a photo file name in the bundle, "" for none
	coverSrc     string // the photo it is copied from
	license      string
	body         string
	editSentence string // appended by the one-story-edited scenario
}

type ambassador struct {
	slug, name, bio, home string
	body                  string
}

type contest struct {
	slug, title, description string
	categories               []string
	opens, closes            string
	votingOpens, votingClose string
	body                     string
}

// Word lists the text is drawn from: Finnish-lakeside flavour, as the
// example showcase.
var (
	placeFirst = []string{"Old", "North", "South", "Upper", "Lower", "Little", "Long", "Red", "Birch", "Pine", "Stone", "Reed", "Mill", "Church", "Ferry", "Fox", "Swan", "Heron", "Moss", "Juniper"}
	placeLast  = []string{"Harbour", "Bay", "Point", "Island", "Ridge", "Path", "Meadow", "Pier", "Sauna", "Boathouse", "Market", "Bridge", "Cove", "Hill", "Marsh", "Landing", "Square", "Forest", "Shore", "Rapids"}
	tagWords   = []string{"lake", "morning", "evening", "winter", "summer", "autumn", "spring", "ice", "snow", "fog", "rain", "sunset", "sunrise", "night", "stars", "boats", "fishing", "sauna", "swimming", "forest", "moss", "berries", "mushrooms", "birds", "swans", "cranes", "history", "letters", "family", "kids", "market", "cafe", "music", "dance", "festival", "midsummer", "harvest", "bread", "coffee", "wood", "stone", "bridges", "roads", "trains", "bikes", "walking", "skiing", "skating", "reeds", "islands", "cabins", "gardens", "flowers", "church", "school", "work", "craft", "boatbuilding", "weaving", "pottery"}
	tagSuffix  = []string{"", "-walks", "-light", "-days", "-stories", "-memories", "-people", "-seasons", "-nights", "-life"}
	firstNames = []string{"Aino", "Eino", "Hanna", "Mikael", "Risto", "Sanna", "Ville", "Liisa", "Onni", "Helmi", "Juho", "Kaisa", "Matti", "Elina", "Toivo", "Saara", "Pekka", "Anni", "Lauri", "Iida", "Oskari", "Veera", "Eero", "Noora", "Aleksi", "Emma", "Tuomas", "Milla", "Antti", "Kerttu"}
	lastNames  = []string{"Kettunen", "Virta", "Rautio", "Saukonpää", "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Mäkinen", "Niemi", "Salo", "Turunen", "Hiltunen", "Peltola", "Honkanen", "Lindqvist", "Karjalainen", "Aalto", "Rantanen"}
	adjectives = []string{"quiet", "early", "last", "grey", "golden", "cold", "long", "small", "old", "bright", "slow", "hidden", "borrowed", "blue", "frozen", "warm", "empty", "crowded", "wild", "patient"}
	nouns      = []string{"light", "road", "boat", "morning", "harbour", "ice", "letter", "sauna", "bridge", "island", "summer", "window", "pier", "market", "song", "path", "wall", "cup", "kite", "storm", "net", "field", "garden", "bell", "ferry"}
	verbs      = []string{"walked", "waited", "rowed", "listened", "watched", "remembered", "carried", "painted", "counted", "followed", "opened", "crossed", "built", "found", "lost", "kept", "told", "sang", "fixed", "climbed"}
	objects    = []string{"the old jetty", "the first ice", "a borrowed boat", "the market square", "my grandmother's kitchen", "the ferry timetable", "a basket of lingonberries", "the church bells", "the reed bay", "the sauna stove", "the last bus home", "a pair of skates", "the harbour lights", "the birch grove", "a jar of cloudberry jam", "the island path", "the boathouse door", "a thermos of coffee", "the fishing nets", "the summer kiosk"}
	adverbs    = []string{"slowly", "quietly", "every morning", "without a word", "in the half light", "before anyone else", "for the last time", "as the mist lifted", "after the rain", "long after midnight"}
	headings   = []string{"How it started", "The morning after", "What the lake keeps", "Getting there", "People we met", "What I would tell a visitor", "The long way back", "Why it matters", "A note on the weather", "Afterwards"}
)

// generate makes a showcase of n stories from seed. photos, when not empty,
// gives every coverEvery-th story a cover photo (and the photo kind to half
// of those).
func generate(n int, seed uint64, photos []string, coverEvery int) *showcase {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	sc := &showcase{}

	// Vocabularies grow with the site, as a destination's would, but
	// stay bounded: a town has only so many places and tags.
	nPlaces := min(120, 20+n/200)
	nTags := min(200, 40+n/100)
	nAmb := max(20, n/50)

	places := uniqueNames(nPlaces, func(i int) string {
		return placeFirst[i%len(placeFirst)] + " " + placeLast[(i/len(placeFirst)+i)%len(placeLast)]
	})
	tags := uniqueNames(nTags, func(i int) string {
		return tagWords[i%len(tagWords)] + tagSuffix[(i/len(tagWords))%len(tagSuffix)]
	})
	for i := range nAmb {
		first := firstNames[i%len(firstNames)]
		last := lastNames[(i/len(firstNames)+i)%len(lastNames)]
		a := &ambassador{
			slug: fmt.Sprintf("%s-%d", strings.ToLower(asciiFold(first)), i+1),
			name: first + " " + last,
			home: places[r.IntN(len(places))],
		}
		a.bio = fmt.Sprintf("%s %s %s %s.", capitalize(first), pick(r, verbs), pick(r, objects), pick(r, adverbs))
		a.body = paragraph(r, 3) + "\n\n" + paragraph(r, 2) + "\n"
		sc.ambassadors = append(sc.ambassadors, a)
	}
	categories := []string{"lake", "forest", "people", "words"}
	for i, c := range []struct{ title, opens, closes, vOpens, vCloses string }{
		{"Winter light 2024", "2024-01-01", "2024-03-31", "2024-04-01", "2024-04-30"},
		{"Midsummer nights 2025", "2025-05-01", "2025-07-31", "2025-08-01", "2025-08-31"},
		{"Four seasons on the lake", "2024-01-01", "2026-12-31", "2024-06-01", "2035-12-31"},
		{"Stories of the shore 2026", "2026-01-01", "2035-12-31", "2036-01-01", "2036-01-31"},
	} {
		sc.contests = append(sc.contests, &contest{
			slug: slugify(c.title), title: c.title,
			description: fmt.Sprintf("Contest %d: the %s and the %s, told by the people who live by them.", i+1, pick(r, nouns), pick(r, nouns)),
			categories:  categories,
			opens:       c.opens, closes: c.closes, votingOpens: c.vOpens, votingClose: c.vCloses,
			body: "## The rules\n\n" + paragraph(r, 3) + "\n\n1. " + sentence(r) + "\n2. " + sentence(r) + "\n3. " + sentence(r) + "\n\n## Prizes\n\n" + paragraph(r, 2) + "\n",
		})
	}

	placeZ := rand.NewZipf(r, 1.1, 2, uint64(nPlaces-1))
	tagZ := rand.NewZipf(r, 1.05, 3, uint64(nTags-1))
	ambZ := rand.NewZipf(r, 1.01, 10, uint64(nAmb-1))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	licenses := []string{"CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "granted-to-destination"}
	seen := map[string]bool{}
	for i := range n {
		s := &story{
			ambassador: sc.ambassadors[ambZ.Uint64()],
			place:      places[placeZ.Uint64()],
			date:       start.AddDate(0, 0, r.IntN(days+1)),
			license:    licenses[r.IntN(len(licenses))],
			featured:   r.IntN(20) == 0,
		}
		s.title = titleCase(fmt.Sprintf("the %s %s at %s", pick(r, adjectives), pick(r, nouns), s.place))
		if r.IntN(3) == 0 {
			s.title = titleCase(fmt.Sprintf("%s %s %s", pick(r, verbs), pick(r, objects), pick(r, adverbs)))
		}
		s.slug = slugify(s.title)
		if seen[s.slug] {
			s.slug = fmt.Sprintf("%s-%d", s.slug, i+1)
		}
		seen[s.slug] = true
		for k := 2 + r.IntN(3); len(s.tags) < k; {
			t := tags[tagZ.Uint64()]
			if !contains(s.tags, t) {
				s.tags = append(s.tags, t)
			}
		}
		switch x := r.IntN(100); {
		case x < 55:
			s.kind = "story"
		case x < 80:
			s.kind = "poem"
		default:
			s.kind = "video"
			s.video = fmt.Sprintf("https://www.youtube.com/watch?v=%s", videoID(r))
		}
		if len(photos) > 0 && i%coverEvery == 0 {
			s.coverSrc = photos[(i/coverEvery)%len(photos)]
			s.cover = "cover" + strings.ToLower(filepath.Ext(s.coverSrc))
			if s.kind == "story" && (i/coverEvery)%2 == 0 {
				s.kind = "photo"
			}
		}
		// About one story in ten is a contest entry, in a contest whose
		// submission window holds its date.
		if r.IntN(10) == 0 {
			for _, c := range sc.contests {
				d := s.date.Format(time.DateOnly)
				if d >= c.opens && d <= c.closes && r.IntN(2) == 0 {
					s.contest = c
					s.category = c.categories[r.IntN(len(c.categories))]
					if s.kind == "poem" || s.kind == "story" {
						s.category = "words"
					}
					break
				}
			}
		}
		switch s.kind {
		case "poem":
			s.body = poem(r)
		case "video":
			s.body = prose(r, 250)
		case "photo":
			s.body = prose(r, 200)
		default:
			s.body = prose(r, 600)
		}
		s.editSentence = "\nEdited: " + sentence(r) + "\n"
		sc.stories = append(sc.stories, s)
	}
	return sc
}

// prose is Markdown of about words words: paragraphs under headings, with
// emphasis, links, a list, a numbered list and a blockquote.
func prose(r *rand.Rand, words int) string {
	var b strings.Builder
	count := 0
	section := 0
	for count < words {
		if count > 0 && section%2 == 0 {
			fmt.Fprintf(&b, "## %s\n\n", headings[r.IntN(len(headings))])
		}
		p := paragraph(r, 3+r.IntN(3))
		b.WriteString(p)
		b.WriteString("\n\n")
		count += len(strings.Fields(p))
		switch section {
		case 1:
			fmt.Fprintf(&b, "- %s\n- %s\n- %s\n\n", capitalize(pick(r, objects)), capitalize(pick(r, objects)), capitalize(pick(r, objects)))
			count += 12
		case 2:
			fmt.Fprintf(&b, "> %s %s\n\n", sentence(r), sentence(r))
			count += 20
		case 3:
			fmt.Fprintf(&b, "1. %s\n2. %s\n\n", sentence(r), sentence(r))
			count += 20
		}
		section++
	}
	return b.String()
}

// paragraph is n sentences, some words emphasised and one linked.
func paragraph(r *rand.Rand, n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = sentence(r)
	}
	switch r.IntN(4) {
	case 0:
		s[0] = strings.Replace(s[0], " the ", " *the* ", 1)
	case 1:
		n := pick(r, nouns)
		s[n1(len(s))] += fmt.Sprintf(" Read more about the [%s](https://example.org/%s/).", n, n)
	case 2:
		s[n1(len(s))] = "**" + strings.TrimSuffix(s[n1(len(s))], ".") + "**."
	}
	return strings.Join(s, " ")
}

func n1(n int) int { return min(1, n-1) }

// sentence is one sentence of 10 to 20 words.
func sentence(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("We %s %s %s, and the %s was %s.", pick(r, verbs), pick(r, objects), pick(r, adverbs), pick(r, nouns), pick(r, adjectives))
	case 1:
		return fmt.Sprintf("Nobody %s %s, but everyone remembers the %s %s by %s.", pick(r, verbs), pick(r, objects), pick(r, adjectives), pick(r, nouns), pick(r, objects))
	case 2:
		return fmt.Sprintf("My %s %s %s while the %s %s %s stood %s.", pick(r, []string{"father", "mother", "neighbour", "cousin", "grandfather", "teacher"}), pick(r, verbs), pick(r, objects), pick(r, adjectives), pick(r, nouns), pick(r, []string{"of the town", "by the water", "on the hill"}), pick(r, adverbs))
	default:
		return fmt.Sprintf("There is a %s %s near %s, and it is %s in the way only %s can be.", pick(r, adjectives), pick(r, nouns), pick(r, objects), pick(r, adjectives), pick(r, objects))
	}
}

// poem is four to six stanzas of short lines.
func poem(r *rand.Rand) string {
	var b strings.Builder
	for s := range 4 + r.IntN(3) {
		if s > 0 {
			b.WriteString("\n")
		}
		for range 3 + r.IntN(3) {
			switch r.IntN(3) {
			case 0:
				fmt.Fprintf(&b, "the %s %s %s\n", pick(r, adjectives), pick(r, nouns), pick(r, adverbs))
			case 1:
				fmt.Fprintf(&b, "we %s %s,\n", pick(r, verbs), pick(r, objects))
			default:
				fmt.Fprintf(&b, "and *%s*, %s\n", pick(r, nouns), pick(r, adverbs))
			}
		}
	}
	return b.String()
}

func videoID(r *rand.Rand) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := make([]byte, 11)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func uniqueNames(n int, name func(int) string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; len(out) < n; i++ {
		s := name(i)
		if seen[s] {
			s = fmt.Sprintf("%s %d", s, i)
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func titleCase(s string) string {
	return capitalize(s)
}

var fold = strings.NewReplacer("ä", "a", "ö", "o", "å", "a", "Ä", "A", "Ö", "O", "Å", "A")

func asciiFold(s string) string { return fold.Replace(s) }

// slugify keeps ASCII letters and digits and joins the rest with dashes, so
// that both tools derive the same URL from a name.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(asciiFold(s)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// The Postcard site.

const postcardConfig = `title = "Harmaavesi Stories"
base_url = "https://stories.example.org/"
language = "en"
description = "Photographs, films, stories and poems from the people of a small harbour town on a lake."
timezone = "Europe/Helsinki"
pagination = 12

[brand]
logo = ""
primary = "#1f5f7a"
accent = "#b84c35"
background = "#fbfaf7"
text = "#1c2329"
font_body = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
font_heading = "Georgia, 'Times New Roman', serif"

[images]
widths = [480, 800, 1200, 1600]
formats = ["webp", "jpeg"]
quality = 78

[votes]
endpoint = "/api/votes"
`

const aboutPage = `This showcase gathers the stories of the town and the lake, told by the
people who live by them: photographs, films, short stories and poems.

## Taking part

Anyone may send a story. The editors read every one before it appears.
`

func writePostcard(dir string, sc *showcase) error {
	w := writer{dir: dir}
	w.file("site.toml", postcardConfig)
	w.file("content/about.md", "+++\ntitle = \"About\"\ndescription = \"What this showcase is.\"\nmenu = 1\n+++\n"+aboutPage)
	for _, a := range sc.ambassadors {
		w.file("content/ambassadors/"+a.slug+".md", fmt.Sprintf("+++\nname = %q\nbio = %q\nhome = %q\nlinks = [\"https://example.social/@%s\"]\n+++\n%s", a.name, a.bio, a.home, a.slug, a.body))
	}
	for _, c := range sc.contests {
		w.file("content/contests/"+c.slug+".md", fmt.Sprintf("+++\ntitle = %q\ndescription = %q\ncategories = %s\nopens = %s\ncloses = %s\nvoting_opens = %s\nvoting_closes = %s\nvotes_per_voter = 3\nshow_counts = true\n+++\n%s",
			c.title, c.description, tomlList(c.categories), c.opens, c.closes, c.votingOpens, c.votingClose, c.body))
	}
	for _, s := range sc.stories {
		w.file(postcardStoryPath(s), postcardStory(s))
		if s.cover != "" {
			w.copy("content/stories/"+s.slug+"/"+s.cover, s.coverSrc)
		}
	}
	return w.err
}

func postcardStoryPath(s *story) string { return "content/stories/" + s.slug + "/index.md" }

func postcardStory(s *story) string {
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %q\nambassador = %q\ndate = %s\nkind = %q\nplace = %q\ntags = %s\n", s.title, s.ambassador.slug, s.date.Format(time.DateOnly), s.kind, s.place, tomlList(s.tags))
	status := "approved"
	if s.featured {
		status = "featured"
	}
	fmt.Fprintf(&b, "status = %q\n", status)
	if s.contest != nil {
		fmt.Fprintf(&b, "contest = %q\ncategory = %q\n", s.contest.slug, s.category)
	}
	if s.video != "" {
		fmt.Fprintf(&b, "video = %q\n", s.video)
	}
	if s.cover != "" {
		fmt.Fprintf(&b, "cover = { src = %q, alt = %q }\n", s.cover, "A view of "+s.place)
	}
	fmt.Fprintf(&b, "\n[rights]\nlicense = %q\nconsent = %s\ncredit = %q\n", s.license, s.date.AddDate(0, 0, 1).Format(time.DateOnly), creditLine(s))
	b.WriteString("+++\n")
	b.WriteString(s.body)
	return b.String()
}

func creditLine(s *story) string {
	switch s.kind {
	case "photo":
		return "Photo: " + s.ambassador.name
	case "video":
		return "Film: " + s.ambassador.name
	}
	return "Words: " + s.ambassador.name
}

// The Hugo site: the same content in Hugo's terms. Places, tags, kinds and
// ambassadors are taxonomies (an ambassador's term page carries their
// profile from content/ambassadors/SLUG/_index.md); contests are a section.

func writeHugo(dir string, sc *showcase) error {
	w := writer{dir: dir}
	if err := fs.WalkDir(hugoTheme, "hugo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := hugoTheme.ReadFile(p)
		if err != nil {
			return err
		}
		w.file(strings.TrimPrefix(p, "hugo/"), string(data))
		return nil
	}); err != nil {
		return err
	}
	w.file("content/about.md", "+++\ntitle = \"About\"\ndescription = \"What this showcase is.\"\n[menus.main]\nweight = 1\n+++\n"+aboutPage)
	w.file("content/search.md", "+++\ntitle = \"Search\"\ndescription = \"Find a story by its title, teller, place or tag.\"\nlayout = \"search\"\n+++\n")
	w.file("content/stories/_index.md", "+++\ntitle = \"All stories\"\n+++\n")
	w.file("content/contests/_index.md", "+++\ntitle = \"Contests\"\ndescription = \"Contests to enter and vote in.\"\n+++\n")
	w.file("content/ambassadors/_index.md", "+++\ntitle = \"Ambassadors\"\n+++\n")
	for _, a := range sc.ambassadors {
		w.file("content/ambassadors/"+a.slug+"/_index.md", fmt.Sprintf("+++\ntitle = %q\nbio = %q\nhome = %q\nlinks = [\"https://example.social/@%s\"]\noutputs = [\"html\", \"rss\", \"atom\", \"jsonfeed\"]\n+++\n%s", a.name, a.bio, a.home, a.slug, a.body))
	}
	for _, c := range sc.contests {
		w.file("content/contests/"+c.slug+".md", fmt.Sprintf("+++\ntitle = %q\ndescription = %q\ncategories = %s\nopens = %s\ncloses = %s\nvoting_opens = %s\nvoting_closes = %s\nvotes_per_voter = 3\n+++\n%s",
			c.title, c.description, tomlList(c.categories), c.opens, c.closes, c.votingOpens, c.votingClose, c.body))
	}
	for _, s := range sc.stories {
		w.file(hugoStoryPath(s), hugoStory(s))
		if s.cover != "" {
			w.copy("content/stories/"+s.slug+"/"+s.cover, s.coverSrc)
		}
	}
	return w.err
}

func hugoStoryPath(s *story) string { return "content/stories/" + s.slug + "/index.md" }

func hugoStory(s *story) string {
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %q\ndate = %s\nambassadors = [%q]\nkinds = [%q]\nplaces = [%q]\ntags = %s\nfeatured = %v\n", s.title, s.date.Format(time.DateOnly), s.ambassador.slug, s.kind, s.place, tomlList(s.tags), s.featured)
	if s.contest != nil {
		fmt.Fprintf(&b, "contest = %q\ncategory = %q\n", s.contest.slug, s.category)
	}
	if s.video != "" {
		fmt.Fprintf(&b, "video = %q\n", s.video)
	}
	if s.cover != "" {
		fmt.Fprintf(&b, "cover = { src = %q, alt = %q }\n", s.cover, "A view of "+s.place)
		// The layouts publish the cover's resized copies; like Postcard,
		// do not also publish the original.
		b.WriteString("build = { publishResources = false }\n")
	}
	fmt.Fprintf(&b, "\n[rights]\nlicense = %q\nconsent = %s\ncredit = %q\n", s.license, s.date.AddDate(0, 0, 1).Format(time.DateOnly), creditLine(s))
	b.WriteString("+++\n")
	if s.kind == "poem" {
		// Postcard keeps a poem's line breaks; Hugo's Markdown wants
		// them marked, here with two trailing spaces.
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s.body, "\n", "  \n"), "  \n  \n", "\n\n"))
	} else {
		b.WriteString(s.body)
	}
	return b.String()
}

func tomlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// writer writes files under dir and keeps the first error.
type writer struct {
	dir string
	err error
}

func (w *writer) file(name, text string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if w.err = os.MkdirAll(filepath.Dir(p), 0o755); w.err != nil {
		return
	}
	w.err = os.WriteFile(p, []byte(text), 0o644)
}

func (w *writer) copy(name, src string) {
	if w.err != nil {
		return
	}
	data, err := os.ReadFile(src)
	if err != nil {
		w.err = err
		return
	}
	w.file(name, string(withComment(data, name)))
}

// withComment returns a JPEG with a comment segment after its start
// marker: the same pixels in distinct bytes, so that each story's cover is
// a source of its own and neither tool shares work between copies of one
// photo (Postcard's image cache is keyed by content). Other files are
// returned as they are.
func withComment(jpg []byte, text string) []byte {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 || len(text) > 60000 {
		return jpg
	}
	n := len(text) + 2
	seg := append([]byte{0xFF, 0xFE, byte(n >> 8), byte(n)}, text...)
	out := append([]byte{0xFF, 0xD8}, seg...)
	return append(out, jpg[2:]...)
}
