-- Search index and group counts (docs/PERFORMANCE.md "Search").
--
-- ec_contact_search: the tokens of every live contact (SearchText::tokens
-- in plugin/src/store/SearchText.h), each with the contact's list key, so
-- one token is one index range already in list order: a search page walks
-- it from the cursor and stops after a page, however common the token.
-- The plugin writes a contact's rows in the same transaction as the
-- contact (create, edit, delete); company is not tokenized: a company
-- matches through the group it names (ec_group_counts). Text columns are
-- utf8mb4_bin like ec_contacts' sort columns, so tokens compare by bytes
-- and the rows order exactly as the list does.
CREATE TABLE IF NOT EXISTS ec_contact_search (
	org_id BIGINT NOT NULL,
	token VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	group_rank TINYINT NOT NULL,
	group_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	contact_id BIGINT NOT NULL,
	PRIMARY KEY (org_id, token, group_rank, group_name, name, contact_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Live contacts per group and source, kept exact by the same transactions
-- (a count reaching 0 stays as a row): GET /groups reads one row per
-- group and source instead of counting the org's contacts.
CREATE TABLE IF NOT EXISTS ec_group_counts (
	org_id BIGINT NOT NULL,
	group_rank TINYINT NOT NULL,
	group_name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	source VARCHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (org_id, group_rank, group_name, source)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per org that writers of the two tables above lock first: the
-- tokens of different contacts share B-tree gaps, and InnoDB's next-key
-- locks would let two concurrent edits deadlock (SQLite needs no such row:
-- its write transaction excludes other writers).
CREATE TABLE IF NOT EXISTS ec_search_locks (
	org_id BIGINT NOT NULL,
	PRIMARY KEY (org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Back-fill what existed before this migration. MySQL DDL is not
-- transactional, so every step may run again after a failure.
INSERT IGNORE INTO ec_search_locks (org_id) SELECT DISTINCT org_id FROM ec_contacts;
DELETE FROM ec_group_counts;
INSERT INTO ec_group_counts (org_id, group_rank, group_name, source, n)
	SELECT org_id, group_rank, group_name, source, COUNT(*) FROM ec_contacts WHERE deleted_at IS NULL
	GROUP BY org_id, group_rank, group_name, source;

-- The tokens, computed as SearchText::tokens does. t is " " + normalize(name
-- + " " + email) + " ": ASCII lower case (the REPLACEs of A..Z: LOWER()
-- would fold other letters too), and every character of
-- SearchText::separators() and every ASCII character other than a letter or
-- digit replaced by a space (the nested REPLACE below, generated from that
-- list). d is the mobile's digits. Work tables are plain tables: a
-- TEMPORARY table cannot be opened twice in one statement.
DROP TABLE IF EXISTS ec_search_backfill_pos;
DROP TABLE IF EXISTS ec_search_backfill_texts;
-- (len, n) for every 1 <= n <= len <= 400: the positions of a text of
-- length len are one primary-key range (a join on "n <= length" would read
-- every position for every text).
CREATE TABLE ec_search_backfill_pos (len INT NOT NULL, n INT NOT NULL, PRIMARY KEY (len, n)) ENGINE=InnoDB;
INSERT INTO ec_search_backfill_pos (len, n)
	WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 400)
	SELECT a.n, b.n FROM p a JOIN p b ON b.n <= a.n;
CREATE TABLE ec_search_backfill_texts ENGINE=InnoDB AS
	SELECT id, org_id, group_rank, group_name, name, CONCAT(' ',
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(
		CONCAT(name, ' ', COALESCE(email COLLATE utf8mb4_bin, ''))
		, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f')
		, 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l')
		, 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r')
		, 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x')
		, 'Y', 'y'), 'Z', 'z'), '!', ' '), '"', ' '), '#', ' '), '$', ' ')
		, '%', ' '), '&', ' '), '''', ' '), '(', ' '), ')', ' '), '*', ' ')
		, '+', ' '), ',', ' '), '-', ' '), '.', ' '), '/', ' '), ':', ' ')
		, ';', ' '), '<', ' '), '=', ' '), '>', ' '), '?', ' '), '@', ' ')
		, '[', ' '), '\\', ' '), ']', ' '), '^', ' '), '_', ' '), '`', ' ')
		, '{', ' '), '|', ' '), '}', ' '), '~', ' '), _utf8mb4 0xC2A0, ' '), _utf8mb4 0xC2B7, ' ')
		, _utf8mb4 0xE28080, ' '), _utf8mb4 0xE28081, ' '), _utf8mb4 0xE28082, ' '), _utf8mb4 0xE28083, ' '), _utf8mb4 0xE28084, ' '), _utf8mb4 0xE28085, ' ')
		, _utf8mb4 0xE28086, ' '), _utf8mb4 0xE28087, ' '), _utf8mb4 0xE28088, ' '), _utf8mb4 0xE28089, ' '), _utf8mb4 0xE2808A, ' '), _utf8mb4 0xE2808B, ' ')
		, _utf8mb4 0xE28090, ' '), _utf8mb4 0xE28091, ' '), _utf8mb4 0xE28092, ' '), _utf8mb4 0xE28093, ' '), _utf8mb4 0xE28094, ' '), _utf8mb4 0xE28095, ' ')
		, _utf8mb4 0xE28098, ' '), _utf8mb4 0xE28099, ' '), _utf8mb4 0xE2809C, ' '), _utf8mb4 0xE2809D, ' '), _utf8mb4 0xE280A2, ' '), _utf8mb4 0xE280A6, ' ')
		, _utf8mb4 0xE280AF, ' '), _utf8mb4 0xE2819F, ' '), _utf8mb4 0xE38080, ' '), _utf8mb4 0xE38081, ' '), _utf8mb4 0xE38082, ' '), _utf8mb4 0xE38088, ' ')
		, _utf8mb4 0xE38089, ' '), _utf8mb4 0xE3808A, ' '), _utf8mb4 0xE3808B, ' '), _utf8mb4 0xE3808C, ' '), _utf8mb4 0xE3808D, ' '), _utf8mb4 0xE3808E, ' ')
		, _utf8mb4 0xE3808F, ' '), _utf8mb4 0xE38090, ' '), _utf8mb4 0xE38091, ' '), _utf8mb4 0xE38094, ' '), _utf8mb4 0xE38095, ' '), _utf8mb4 0xE383BB, ' ')
		, _utf8mb4 0xEFBBBF, ' '), _utf8mb4 0xEFBC81, ' '), _utf8mb4 0xEFBC88, ' '), _utf8mb4 0xEFBC89, ' '), _utf8mb4 0xEFBC8C, ' '), _utf8mb4 0xEFBC8D, ' ')
		, _utf8mb4 0xEFBC8E, ' '), _utf8mb4 0xEFBC8F, ' '), _utf8mb4 0xEFBC9A, ' '), _utf8mb4 0xEFBC9B, ' '), _utf8mb4 0xEFBC9F, ' '), _utf8mb4 0xEFBCA0, ' ')
		, _utf8mb4 0xEFBCBF, ' '), _utf8mb4 0xEFBD9E, ' ')
		, ' ') AS t,
		REPLACE(REPLACE(REPLACE(COALESCE(mobile, ''), '+', ''), ' ', ''), '-', '') AS d
	FROM ec_contacts WHERE deleted_at IS NULL;
INSERT IGNORE INTO ec_contact_search (org_id, token, group_rank, group_name, name, contact_id)
	SELECT org_id, token, group_rank, group_name, name, id FROM (
		-- prefixes of 1..6 characters of each chunk (a chunk starts after a
		-- space), except those of 3 or more that end on an ideographic one
		-- (ORD is monotonic in the code point for utf8mb4; 14858880 = U+2E80)
		SELECT x.org_id, SUBSTRING(x.t, p.n, k.n) AS token, x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_backfill_texts x STRAIGHT_JOIN ec_search_backfill_pos p ON p.len = CHAR_LENGTH(x.t)
			STRAIGHT_JOIN ec_search_backfill_pos k ON k.len = 6
		WHERE p.n > 1 AND SUBSTRING(x.t, p.n - 1, 1) = ' ' AND SUBSTRING(x.t, p.n, 1) <> ' '
			AND INSTR(SUBSTRING(x.t, p.n, k.n), ' ') = 0
			AND (k.n <= 2 OR ORD(SUBSTRING(x.t, p.n + k.n - 1, 1)) < 14858880)
		UNION ALL
		-- every ideographic character (U+2E80 and above) and every pair of them
		SELECT x.org_id, SUBSTRING(x.t, p.n, 1), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_backfill_texts x STRAIGHT_JOIN ec_search_backfill_pos p ON p.len = CHAR_LENGTH(x.t)
		WHERE ORD(SUBSTRING(x.t, p.n, 1)) >= 14858880
		UNION ALL
		SELECT x.org_id, SUBSTRING(x.t, p.n, 2), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_backfill_texts x STRAIGHT_JOIN ec_search_backfill_pos p ON p.len = CHAR_LENGTH(x.t)
		WHERE ORD(SUBSTRING(x.t, p.n, 1)) >= 14858880 AND ORD(SUBSTRING(x.t, p.n + 1, 1)) >= 14858880
		UNION ALL
		-- the mobile's digits: prefixes of 1..6, and "#" + the last 4
		SELECT x.org_id, SUBSTRING(x.d, 1, k.n), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_backfill_texts x STRAIGHT_JOIN ec_search_backfill_pos k ON k.len = 6
		WHERE k.n <= CHAR_LENGTH(x.d)
		UNION ALL
		SELECT x.org_id, CONCAT('#', RIGHT(x.d, 4)), x.group_rank, x.group_name, x.name, x.id
		FROM ec_search_backfill_texts x WHERE CHAR_LENGTH(x.d) >= 4
	) tokens ORDER BY 1, 2, 3, 4, 5, 6;
DROP TABLE ec_search_backfill_texts;
DROP TABLE ec_search_backfill_pos;
