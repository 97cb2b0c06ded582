/*
 * index_and_search.c - the smallest program embedding Tigris: indexes a
 * few articles (and, given a path, a folder of archives as `indexer PATH`
 * does), then searches them and prints the hits.
 *
 *     cc index_and_search.c $(pkg-config --cflags --libs tigris) -o demo
 *     ./demo /tmp/demo.db "river flood" [PATH]
 *
 * Exit status: 0 when the query found something, 1 when not, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <tigris.h>

static const char *const tags[] = { "weather" };

static const tigris_article articles[] = {
    { .id = "flood-2019", .url = "https://example.org/flood", .title = "The river floods",
      .date = "2019-04-02", .author = "A. Writer",
      .body = "The river rose overnight and flooded the lower town.\n\n"
              "By morning the market had moved uphill.",
      .tags = tags, .ntags = 1 },
    { .id = "bridge-2020", .title = "A new bridge", .date = "2020-06-30",
      .body = "The council opened a new bridge over the river, built after the flood." },
    { .id = "harvest-2021", .title = "Harvest", .date = "2021-09-15",
      .body = "Farmers brought in an early harvest of wheat and barley." },
};

static void on_message(const char *where, const char *message, void *ud)
{
    (void)ud;
    fprintf(stderr, "demo: %s: %s\n", where, message);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB QUERY [PATH]\n", argv[0]);
        return 2;
    }
    char err[512];
    tigris_index *ix = tigris_index_open(argv[1], NULL, err, sizeof err);
    if (!ix) {
        fprintf(stderr, "demo: %s\n", err);
        return 2;
    }
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++)
        if (tigris_index_add(ix, &articles[i], NULL)) {
            fprintf(stderr, "demo: %s\n", tigris_index_errmsg(ix));
            tigris_index_close(ix);
            return 2;
        }
    tigris_path_stats st = { 0 };
    if (argc > 3 && tigris_index_path(ix, argv[3], on_message, NULL, &st)) {
        fprintf(stderr, "demo: %s\n", tigris_index_errmsg(ix));
        tigris_index_close(ix);
        return 2;
    }
    if (tigris_index_close(ix)) {
        fprintf(stderr, "demo: the last commit failed\n");
        return 2;
    }
    if (argc > 3)
        printf("read %zu files: %zu new articles\n", st.files, st.added);

    tigris_searcher *s = tigris_searcher_open(argv[1], err, sizeof err);
    if (!s) {
        fprintf(stderr, "demo: %s\n", err);
        return 2;
    }
    tigris_results *r;
    if (tigris_search(s, argv[2], 0, 5, &r)) {
        fprintf(stderr, "demo: %s\n", tigris_searcher_errmsg(s));
        tigris_searcher_close(s);
        return 2;
    }
    printf("tigris %s: %u articles, %zu hits for \"%s\"\n", tigris_version(),
           tigris_searcher_count(s), tigris_results_count(r), argv[2]);
    tigris_hit h;
    for (size_t i = 0; tigris_results_hit(r, i, &h) == 0; i++)
        printf("%zu. %s [%s] %s\n", i + 1, h.title, h.id, h.date);
    int found = tigris_results_count(r) > 0;
    tigris_results_free(r);
    tigris_searcher_close(s);
    return found ? 0 : 1;
}
