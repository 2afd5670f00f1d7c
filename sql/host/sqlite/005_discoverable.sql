-- Search of members of another organization (R5.1, members.find): users
-- are looked up by exact email (ASCII case-insensitive), exact mobile or
-- display-name prefix, each through an index so that the search stays fast
-- with 100,000 members per org. users.discoverable (001) is the user's
-- consent to be found this way. email_key is the email with ASCII letters
-- lower-cased; every write of users.email writes it too. Mobile numbers
-- are stored without separators (+ and digits only), so mobile is indexed
-- as it is.
ALTER TABLE users ADD COLUMN email_key VARCHAR(254) NOT NULL DEFAULT '';
-- SQLite's built-in lower() folds ASCII letters only.
UPDATE users SET email_key = lower(email);
CREATE INDEX users_email_key ON users (email_key);
CREATE INDEX users_mobile ON users (mobile);
-- NOCASE, because LIKE is ASCII case-insensitive: the prefix search can
-- then use the index as a range.
CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE);
