#!/bin/sh
# The README's first command: index the sample archive in corpus/ and show
# a search. Re-running is cheap: the indexer skips unchanged articles.
set -eu
cd "$(dirname "$0")/.."
DB=${TIGRIS_DB:-tigris.db}
bin/indexer --db "$DB" corpus/
echo
echo '$ bin/searcher --db '"$DB"' -n 3 "Kataib Hezbollah"'
bin/searcher --db "$DB" -n 3 "Kataib Hezbollah"
echo '$ bin/searcher --db '"$DB"' -n 3 "Camp Liberty"'
bin/searcher --db "$DB" -n 3 '"Camp Liberty"'
echo "Try your own: bin/searcher --db $DB 'your words'   (bin/searcher --help)"
