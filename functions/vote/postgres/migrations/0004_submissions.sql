-- Submissions from the site's form, kept privately until an editor pulls
-- them into the content folder.
CREATE TABLE submissions (
	receipt   text        PRIMARY KEY,
	at        timestamptz NOT NULL,
	lang      text        NOT NULL,
	kind      text        NOT NULL,
	title     text        NOT NULL,
	body      text        NOT NULL,
	place     text        NOT NULL,
	contest   text        NOT NULL,
	category  text        NOT NULL,
	video     text        NOT NULL,
	name      text        NOT NULL,
	license   text        NOT NULL,
	status    text        NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'pulled', 'rejected')),
	reason    text        NOT NULL DEFAULT '',
	status_at timestamptz NOT NULL,
	proof     bytea
);
CREATE UNIQUE INDEX submissions_proof ON submissions (proof) WHERE proof IS NOT NULL;
CREATE INDEX submissions_status ON submissions (status, at);

-- The photos, as uploaded: their metadata never leaves the store.
CREATE TABLE submission_media (
	receipt text    NOT NULL REFERENCES submissions (receipt) ON DELETE CASCADE,
	idx     integer NOT NULL,
	format  text    NOT NULL,
	alt     text    NOT NULL,
	caption text    NOT NULL,
	data    bytea   NOT NULL,
	PRIMARY KEY (receipt, idx)
);

-- What the contributor agreed to: the consent text's version and language.
CREATE TABLE submission_consents (
	receipt text        PRIMARY KEY REFERENCES submissions (receipt) ON DELETE CASCADE,
	version text        NOT NULL,
	lang    text        NOT NULL,
	at      timestamptz NOT NULL
);

-- How to reach the contributor, and the post's network key, for abuse
-- review; deleted by purge.
CREATE TABLE submission_contacts (
	receipt text        PRIMARY KEY REFERENCES submissions (receipt) ON DELETE CASCADE,
	email   text        NOT NULL,
	network bytea,
	at      timestamptz NOT NULL
);

-- Posts per network and UTC day, script posts and plain form posts apart;
-- the conditional upsert (which locks the row) enforces the quotas.
CREATE TABLE submission_networks (
	network bytea   NOT NULL,
	day     date    NOT NULL,
	form    boolean NOT NULL,
	used    integer NOT NULL CHECK (used >= 1),
	PRIMARY KEY (network, day, form)
);

-- Failed plain form posts, kept an hour for the form to show again.
CREATE TABLE submission_forms (
	token   text        PRIMARY KEY,
	data    bytea       NOT NULL,
	expires timestamptz NOT NULL
);
