-- Search index and group counts (docs/PERFORMANCE.md "Search").
--
-- ec_contact_search: the tokens of every live contact (SearchText::tokens
-- in plugin/src/store/SearchText.h), each with the contact's list key, so
-- one token is one index range already in list order: a search page walks
-- it from the cursor and stops after a page, however common the token.
-- The plugin writes a contact's rows in the same transaction as the
-- contact (create, edit, delete); company is not tokenized: a company
-- matches through the group it names (ec_group_counts).
CREATE TABLE IF NOT EXISTS ec_contact_search (
	org_id INTEGER NOT NULL,
	token TEXT NOT NULL,
	group_rank INTEGER NOT NULL,
	group_name TEXT NOT NULL,
	name TEXT NOT NULL,
	contact_id INTEGER NOT NULL,
	PRIMARY KEY (org_id, token, group_rank, group_name, name, contact_id)
) WITHOUT ROWID;

-- Live contacts per group and source, kept exact by the same transactions
-- (a count reaching 0 stays as a row): GET /groups reads one row per
-- group and source instead of counting the org's contacts.
CREATE TABLE IF NOT EXISTS ec_group_counts (
	org_id INTEGER NOT NULL,
	group_rank INTEGER NOT NULL,
	group_name TEXT NOT NULL,
	source TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (org_id, group_rank, group_name, source)
) WITHOUT ROWID;

-- Back-fill what existed before this migration (the whole file is one
-- transaction on SQLite).
DELETE FROM ec_group_counts;
INSERT INTO ec_group_counts (org_id, group_rank, group_name, source, n)
	SELECT org_id, group_rank, group_name, source, COUNT(*) FROM ec_contacts WHERE deleted_at IS NULL
	GROUP BY org_id, group_rank, group_name, source;

-- The tokens, computed as SearchText::tokens does. t is " " + normalize(name
-- + " " + email) + " ": ASCII lower case, and every character of
-- SearchText::separators() and every ASCII character other than a letter or
-- digit replaced by a space (the UPDATEs below, generated from that list).
-- d is the mobile's digits.
PRAGMA cache_size = -262144;
CREATE TEMP TABLE ec_search_pos (n INTEGER PRIMARY KEY);
INSERT INTO ec_search_pos (n)
	WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 400) SELECT n FROM p;
CREATE TEMP TABLE ec_search_texts AS
	SELECT id, org_id, group_rank, group_name, name, ' ' || lower(name || ' ' || COALESCE(email, '')) || ' ' AS t,
		REPLACE(REPLACE(REPLACE(COALESCE(mobile, ''), '+', ''), ' ', ''), '-', '') AS d
	FROM ec_contacts WHERE deleted_at IS NULL;
-- (SQLite's parser takes about 30 nested calls: the REPLACEs run in steps.)
UPDATE ec_search_texts SET t =
	REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(t
	, '!', ' '), '"', ' '), '#', ' '), '$', ' '), '%', ' '), '&', ' '), '''', ' '), '(', ' ')
	, ')', ' '), '*', ' '), '+', ' '), ',', ' '), '-', ' '), '.', ' '), '/', ' '), ':', ' ')
	, ';', ' '), '<', ' '), '=', ' '), '>', ' '), '?', ' '), '@', ' ');
UPDATE ec_search_texts SET t =
	REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(t
	, '[', ' '), '\', ' '), ']', ' '), '^', ' '), '_', ' '), '`', ' '), '{', ' '), '|', ' ')
	, '}', ' '), '~', ' '), char(0x00A0), ' '), char(0x00B7), ' '), char(0x2000), ' '), char(0x2001), ' '), char(0x2002), ' '), char(0x2003), ' ')
	, char(0x2004), ' '), char(0x2005), ' '), char(0x2006), ' '), char(0x2007), ' '), char(0x2008), ' '), char(0x2009), ' ');
UPDATE ec_search_texts SET t =
	REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(t
	, char(0x200A), ' '), char(0x200B), ' '), char(0x2010), ' '), char(0x2011), ' '), char(0x2012), ' '), char(0x2013), ' '), char(0x2014), ' '), char(0x2015), ' ')
	, char(0x2018), ' '), char(0x2019), ' '), char(0x201C), ' '), char(0x201D), ' '), char(0x2022), ' '), char(0x2026), ' '), char(0x202F), ' '), char(0x205F), ' ')
	, char(0x3000), ' '), char(0x3001), ' '), char(0x3002), ' '), char(0x3008), ' '), char(0x3009), ' '), char(0x300A), ' ');
UPDATE ec_search_texts SET t =
	REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(t
	, char(0x300B), ' '), char(0x300C), ' '), char(0x300D), ' '), char(0x300E), ' '), char(0x300F), ' '), char(0x3010), ' '), char(0x3011), ' '), char(0x3014), ' ')
	, char(0x3015), ' '), char(0x30FB), ' '), char(0xFEFF), ' '), char(0xFF01), ' '), char(0xFF08), ' '), char(0xFF09), ' '), char(0xFF0C), ' '), char(0xFF0D), ' ')
	, char(0xFF0E), ' '), char(0xFF0F), ' '), char(0xFF1A), ' '), char(0xFF1B), ' '), char(0xFF1F), ' '), char(0xFF20), ' ');
UPDATE ec_search_texts SET t =
	REPLACE(REPLACE(t
	, char(0xFF3F), ' '), char(0xFF5E), ' ');
INSERT OR IGNORE INTO ec_contact_search (org_id, token, group_rank, group_name, name, contact_id)
	SELECT org_id, token, group_rank, group_name, name, id FROM (
		-- prefixes of 1..6 characters of each chunk (a chunk starts after a
		-- space), except those of 3 or more that end on an ideographic one
		SELECT x.org_id, substr(x.t, p.n, k.n) AS token, x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_texts x JOIN ec_search_pos p ON p.n <= length(x.t) JOIN ec_search_pos k ON k.n <= 6
		WHERE substr(x.t, p.n - 1, 1) = ' ' AND substr(x.t, p.n, 1) <> ' '
			AND instr(substr(x.t, p.n, k.n), ' ') = 0
			AND (k.n <= 2 OR unicode(substr(x.t, p.n + k.n - 1, 1)) < 11904)
		UNION ALL
		-- every ideographic character (U+2E80 and above) and every pair of them
		SELECT x.org_id, substr(x.t, p.n, 1), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_texts x JOIN ec_search_pos p ON p.n <= length(x.t)
		WHERE unicode(substr(x.t, p.n, 1)) >= 11904
		UNION ALL
		SELECT x.org_id, substr(x.t, p.n, 2), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_texts x JOIN ec_search_pos p ON p.n < length(x.t)
		WHERE unicode(substr(x.t, p.n, 1)) >= 11904 AND unicode(substr(x.t, p.n + 1, 1)) >= 11904
		UNION ALL
		-- the mobile's digits: prefixes of 1..6, and "#" + the last 4
		SELECT x.org_id, substr(x.d, 1, k.n), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_texts x JOIN ec_search_pos k ON k.n <= 6 AND k.n <= length(x.d)
		UNION ALL
		SELECT x.org_id, '#' || substr(x.d, -4), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_texts x WHERE length(x.d) >= 4
	) ORDER BY 1, 2, 3, 4, 5, 6;
DROP TABLE ec_search_texts;
DROP TABLE ec_search_pos;
PRAGMA cache_size = -2000;
