"""Every RSS and Atom feed of a built site through the Universal Feed
Parser (Debian's python3-feedparser), the parser most feed readers' own
behaviour is measured against. A feed fails when the parser flags it as
ill-formed (its bozo bit), is not the version Postcard writes, or when an
item lacks the title, absolute link or date a reader lists; the RSS and
Atom feeds of one folder must list the same items with the same titles.
The sample feeds in testdata/feeds/ prove the checks: pass.* must pass,
and each fail-*, one mistake apiece, must fail.

Usage: python3 tests/validate/feeds.py public
"""

import os
import sys
from urllib.parse import urlparse

import feedparser


def feeds(root):
    for folder, _, files in sorted(os.walk(root)):
        for name in ("feed.xml", "atom.xml"):
            if name in files:
                yield os.path.join(folder, name)


def check(path, want_version):
    problems = []
    d = feedparser.parse(path)
    if d.bozo:
        problems.append(f"{path}: not well-formed: {d.bozo_exception}")
    if d.version != want_version:
        problems.append(f"{path}: read as {d.version or 'unknown'}, want {want_version}")
    if not d.feed.get("title"):
        problems.append(f"{path}: the feed has no title")
    titles = []
    for i, e in enumerate(d.entries, 1):
        if not e.get("title"):
            problems.append(f"{path}: item {i} has no title")
        u = urlparse(e.get("link", ""))
        if u.scheme not in ("http", "https") or not u.netloc:
            problems.append(f"{path}: item {i} link {e.get('link')!r} is not absolute")
        if not e.get("published_parsed"):
            problems.append(f"{path}: item {i} has no date a reader can read")
        titles.append(e.get("title"))
    return problems, titles


def samples():
    problems = []
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "feeds")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        found, _ = check(path, "rss20" if name.endswith(".rss.xml") else "atom10")
        if name.startswith("fail-") and not found:
            problems.append(f"{path}: passes the checks, but must fail")
        if not name.startswith("fail-"):
            problems += found
            # "&" and "<" in a title, written as Postcard writes them, read
            # back as plain text.
            title = feedparser.parse(path).entries[0].get("title_detail", {})
            if title.get("value") != "Tom & Jerry <3 the lake" or title.get("type") != "text/plain":
                problems.append(f"{path}: the first title reads as {title}")
    return problems, len(os.listdir(folder))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "public"
    problems, nsamples = samples()
    count, items = 0, 0
    by_folder = {}
    for path in feeds(root):
        want = "rss20" if path.endswith("feed.xml") else "atom10"
        p, titles = check(path, want)
        problems += p
        count += 1
        items += len(titles)
        by_folder.setdefault(os.path.dirname(path), {})[want] = titles
    for folder, t in by_folder.items():
        if t.get("rss20") != t.get("atom10"):
            problems.append(f"{folder}: the RSS and Atom feeds list different items: {t.get('rss20')} and {t.get('atom10')}")
    if count == 0:
        problems.append(f"no feeds under {root}/; build the site first")
    elif items == 0:
        problems.append(f"the feeds under {root}/ have no items")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"feeds: {count} RSS and Atom feeds ({items} items) and {nsamples} samples checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
