-- One row per vote. The primary key allows one vote per voter and entry.
-- votes_after is the entry's count right after the vote, kept for replies to
-- retries with the same idempotency key.
CREATE TABLE votes (
	contest     text        NOT NULL,
	voter       text        NOT NULL,
	entry       text        NOT NULL,
	idem_key    text,
	votes_after integer     NOT NULL,
	cast_at     timestamptz NOT NULL,
	PRIMARY KEY (contest, voter, entry)
);

-- An idempotency key names one vote of a voter.
CREATE UNIQUE INDEX votes_idem_key ON votes (voter, idem_key) WHERE idem_key IS NOT NULL;

-- How many votes a voter has used in a contest; the conditional upsert on it
-- (which locks the row) enforces votes_per_voter.
CREATE TABLE ballots (
	contest text    NOT NULL,
	voter   text    NOT NULL,
	used    integer NOT NULL CHECK (used >= 1),
	PRIMARY KEY (contest, voter)
);

-- The running count of each entry, kept in the same transaction as votes.
CREATE TABLE tallies (
	contest text    NOT NULL,
	entry   text    NOT NULL,
	votes   integer NOT NULL CHECK (votes >= 0),
	PRIMARY KEY (contest, entry)
);
