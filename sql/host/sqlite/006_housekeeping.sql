-- Housekeeping (issue 14): the host's sweep (Housekeeping.cpp) deletes
-- sessions past their absolute expiry and login_throttle rows whose
-- window_start lies further back than any rule still reads it, in small
-- batches; these indexes let each batch find its rows by range instead of
-- reading the whole table.
CREATE INDEX login_throttle_window ON login_throttle (window_start);
CREATE INDEX sessions_expires ON sessions (expires_at);
