#!/bin/sh
# Installs the Debian packages `make bench` and `make eval` need beyond the
# build's own: SQLite with FTS5 for the FTS5 peer, Xapian's tools
# (xapian-compact) for the Xapian peer and wrk for the HTTP load test
# (bench/http.sh). A no-op when they are present.
exec sh "$(dirname "$0")/install-deps.sh" libsqlite3-dev xapian-tools wrk
