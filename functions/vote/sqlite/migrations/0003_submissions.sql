-- Submissions from the site's form, kept privately until an editor pulls
-- them into the content folder. Times are Unix microseconds.
CREATE TABLE submissions (
	receipt   TEXT    PRIMARY KEY,
	at        INTEGER NOT NULL,
	lang      TEXT    NOT NULL,
	kind      TEXT    NOT NULL,
	title     TEXT    NOT NULL,
	body      TEXT    NOT NULL,
	place     TEXT    NOT NULL,
	contest   TEXT    NOT NULL,
	category  TEXT    NOT NULL,
	video     TEXT    NOT NULL,
	name      TEXT    NOT NULL,
	license   TEXT    NOT NULL,
	status    TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'pulled', 'rejected')),
	reason    TEXT    NOT NULL DEFAULT '',
	status_at INTEGER NOT NULL,
	proof     BLOB
);
CREATE UNIQUE INDEX submissions_proof ON submissions (proof) WHERE proof IS NOT NULL;
CREATE INDEX submissions_status ON submissions (status, at);

-- The photos, as uploaded: their metadata never leaves the store.
CREATE TABLE submission_media (
	receipt TEXT    NOT NULL REFERENCES submissions (receipt) ON DELETE CASCADE,
	idx     INTEGER NOT NULL,
	format  TEXT    NOT NULL,
	alt     TEXT    NOT NULL,
	caption TEXT    NOT NULL,
	data    BLOB    NOT NULL,
	PRIMARY KEY (receipt, idx)
) WITHOUT ROWID;

-- What the contributor agreed to: the consent text's version and language.
CREATE TABLE submission_consents (
	receipt TEXT    PRIMARY KEY REFERENCES submissions (receipt) ON DELETE CASCADE,
	version TEXT    NOT NULL,
	lang    TEXT    NOT NULL,
	at      INTEGER NOT NULL
) WITHOUT ROWID;

-- How to reach the contributor, and the post's network key, for abuse
-- review; deleted by purge.
CREATE TABLE submission_contacts (
	receipt TEXT    PRIMARY KEY REFERENCES submissions (receipt) ON DELETE CASCADE,
	email   TEXT    NOT NULL,
	network BLOB,
	at      INTEGER NOT NULL
) WITHOUT ROWID;

-- Posts per network and UTC day (days since the Unix epoch), script posts
-- (form = 0) and plain form posts (form = 1) apart.
CREATE TABLE submission_networks (
	network BLOB    NOT NULL,
	day     INTEGER NOT NULL,
	form    INTEGER NOT NULL,
	used    INTEGER NOT NULL CHECK (used >= 1),
	PRIMARY KEY (network, day, form)
) WITHOUT ROWID;

-- Failed plain form posts, kept an hour for the form to show again.
CREATE TABLE submission_forms (
	token   TEXT    PRIMARY KEY,
	data    BLOB    NOT NULL,
	expires INTEGER NOT NULL
) WITHOUT ROWID;
