#!/bin/sh
# The README's first command: index the sample archive in corpus/, show a
# search, then serve it on localhost and print the address to open.
# Re-running is cheap: the indexer skips unchanged articles.
# TIGRIS_DB (default tigris.db) and PORT (default 8080) change the defaults;
# DEMO_SERVE=0 stops after the searches.
set -eu
cd "$(dirname "$0")/.."
DB=${TIGRIS_DB:-tigris.db}
PORT=${PORT:-8080}
bin/indexer --db "$DB" corpus/
echo
echo '$ bin/searcher --db '"$DB"' -n 3 "Kataib Hezbollah"'
bin/searcher --db "$DB" -n 3 "Kataib Hezbollah"
echo '$ bin/searcher --db '"$DB"' -n 3 "Camp Liberty"'
bin/searcher --db "$DB" -n 3 '"Camp Liberty"'
echo "Try your own: bin/searcher --db $DB 'your words'   (bin/searcher --help)"
[ "${DEMO_SERVE:-1}" = 1 ] || exit 0
echo
# Port 8080 taken by something else: let the system pick a free one.
if command -v curl >/dev/null 2>&1 && curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
    echo "(port $PORT is in use; using a free one)"
    PORT=0
fi
echo "\$ bin/searcher --db $DB --serve 127.0.0.1:$PORT"
exec bin/searcher --db "$DB" --serve "127.0.0.1:$PORT"
