-- Search of members of another organization (R5.1, members.find): users
-- are looked up by exact email (ASCII case-insensitive), exact mobile or
-- display-name prefix, each through an index so that the search stays fast
-- with 100,000 members per org. users.discoverable (001) is the user's
-- consent to be found this way. email_key is the email with ASCII letters
-- lower-cased; every write of users.email writes it too. Mobile numbers
-- are stored without separators (+ and digits only), so mobile is indexed
-- as it is.
ALTER TABLE users ADD COLUMN email_key VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
-- LOWER() would fold every Unicode letter; the key folds ASCII letters only
-- (REPLACE compares case-sensitively).
UPDATE users SET email_key = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(email, 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'), 'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'), 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'), 'Y', 'y'), 'Z', 'z');
CREATE INDEX users_email_key ON users (email_key);
CREATE INDEX users_mobile ON users (mobile);
CREATE INDEX users_display_name ON users (display_name);
