// MiniSearch baseline for scripts/eval-entities.sh (issue 19): index a JSON
// Lines archive (id, title, body) with MiniSearch's default options and
// write a TREC run (top 1000) for a qid<TAB>query file.
// Search options: {fuzzy: 0.2, prefix: true}, the values of MiniSearch's
// README examples ("edit distance + prefix"); everything else is default
// (OR of terms, BM25+, no field boost, lower-casing tokenizer).
// usage: node run.mjs ARCHIVE.jsonl QUERIES.tsv TAG > run
import fs from 'node:fs'
import readline from 'node:readline'
import MiniSearch from 'minisearch'

const [archive, queries, tag] = process.argv.slice(2)
if (!archive || !queries || !tag) {
  console.error('usage: node run.mjs ARCHIVE.jsonl QUERIES.tsv TAG')
  process.exit(2)
}
const ms = new MiniSearch({
  fields: ['title', 'body'],
  searchOptions: { fuzzy: 0.2, prefix: true }
})
const t0 = Date.now()
const lines = readline.createInterface({ input: fs.createReadStream(archive, 'utf8'), crlfDelay: Infinity })
let n = 0
for await (const line of lines) {
  if (!line.trim()) continue
  const a = JSON.parse(line)
  ms.add({ id: a.id, title: a.title || '', body: a.body || '' })
  n++
}
const t1 = Date.now()
const out = []
let nq = 0
for (const line of fs.readFileSync(queries, 'utf8').split('\n')) {
  const tab = line.indexOf('\t')
  if (tab < 0) continue
  const qid = line.slice(0, tab), q = line.slice(tab + 1)
  const res = ms.search(q).slice(0, 1000)
  res.forEach((r, i) => out.push(`${qid} Q0 ${r.id} ${i + 1} ${r.score.toFixed(6)} ${tag}`))
  nq++
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
const mem = process.memoryUsage().rss / 1e9
console.error(`minisearch: ${n} articles indexed in ${((t1 - t0) / 1000).toFixed(1)} s, ` +
  `${nq} queries in ${((Date.now() - t1) / 1000).toFixed(1)} s, rss ${mem.toFixed(1)} GB`)
