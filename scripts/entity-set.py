#!/usr/bin/env python3
"""Build the issue-19 entity set: names queried in a spelling chosen by rule.

usage: entity-set.py NEWS.jsonl eval/entity-names.tsv OUTDIR [QID_PREFIX]

Writes OUTDIR/{tune,test}.queries.tsv and .qrels (TREC), OUTDIR/entities.tsv
(qid, split, kind, rule, query, attested spellings, relevant count) and prints
what it dropped and why. Query ids are QID_PREFIX (default E) and a number;
another list gets another prefix (eval-entities.sh: V for
eval/entity-names-dev2.tsv) so that two sets' runs can share a file. The output holds no archive text, but it is derived
from third-party data: write it under build/, never into the repository.

The procedure, fixed so that nobody tunes the set to the engine:

1. Spellings. Each entity of eval/entity-names.tsv lists spellings; one is
   *attested* when at least one article matches it. A spelling matches as
   whole words (\\b...\\b), words joined by any run of spaces or hyphens, with
   an optional 's / s / es ending; case-insensitively, except an all-capitals
   spelling (an acronym), which matches only in capitals; never inside an
   e-mail address, a dotted host name or a <TICKER>, nor in a line of
   binary data carried as text (uuencoded or base64: binary_line(), the
   rule of tg_tokenize in lib/text.c), whose junk holds CIA or PLO by chance.
2. Relevance: an article is relevant when it matches any attested spelling.
   An entity is kept when it has 2..1000 relevant articles (Recall@1000 can
   then reach 1).
3. The query, by kind:
   rare       the attested spelling with the fewest articles (ties: the
              alphabetically first); needs two attested spellings.
   roman      the most frequent spelling, changed by the first rule that
              gives a spelling matching no article, trying the rules of
              ROMAN in order, starting at rule (entity index mod len(ROMAN))
              so that the set uses every rule. The rules (first match only):
              kh -> h; qu -> k, else q -> k; k -> q; ou -> u, else u -> ou;
              a doubled letter made single, else a consonant between vowels
              doubled; a final h dropped, or h added after a final vowel;
              al-/el- swapped; the first vowel after the first letter
              swapped (a<->e, i->e, o<->u).
   joinsplit  several words: joined into one (first letter kept, the rest
              lower case). One word: split in two at the point where both
              halves are archive words (3+ letters), maximising the product
              of the halves' document frequencies.
   hyphen     the spelling given in the list: the name with a compound
              typed with a hyphen where the archive mostly writes it as
              one word (Co-operation, Semi-conductor; eval/entity-names-
              dev6.tsv says how its names were picked).
   diacritics the native spelling given in the list (the archive, ASCII
              almost throughout, writes none of them).
   longform   the longest attested spelling that is not the acronym.
4. Split: within each kind, entities are shuffled by random.Random(19) and
   dealt alternately to tune and test.
"""
import json
import random
import re
import sys
from collections import Counter

WORD = re.compile(r"[^\W_]+")
VOWELS = "aeiou"
# Consonants that romanisations double (never h, j, q, w, x, y).
DOUBLES = "bcdfgklmnprstvz"


def spelling_re(s):
    words = WORD.findall(s) if "'" not in s else s.split()
    body = r"[\s\-]+".join(re.escape(w) for w in words)
    flags = 0 if s.isupper() and len(s) > 1 else re.IGNORECASE
    # Not part of an e-mail address or host name (khalid@..., IRS.Inf.TU-
    # Dresden.de, vice.ICO.TEK.COM) nor a Reuters ticker (<ANC>).
    return re.compile(r"(?<![@.<])\b" + body + r"(?:'s|s|es)?\b(?![.@]\w|>)", flags)


def first_index(s, pred):
    for i in range(len(s)):
        if pred(i):
            return i
    return -1


# Romanisation rules: each maps a lower-case spelling to another, or None.
def r_kh_h(s):
    return s.replace("kh", "h", 1) if "kh" in s else None


def r_q_k(s):
    if "qu" in s:  # Mozambique -> Mozambike, not Mozambikue
        return s.replace("qu", "k", 1)
    return s.replace("q", "k", 1) if "q" in s else None


def r_k_q(s):
    i = first_index(s, lambda i: s[i] == "k" and s[i - 1:i] != "c" and s[i + 1:i + 2] != "h")
    return s[:i] + "q" + s[i + 1:] if i >= 0 else None


def r_ou_u(s):
    if "ou" in s:
        return s.replace("ou", "u", 1)
    i = first_index(s, lambda i: s[i] == "u" and i > 0 and s[i - 1] not in "oq")
    return s[:i] + "ou" + s[i + 1:] if i >= 0 else None


def r_double(s):
    i = first_index(s, lambda i: i > 0 and s[i] == s[i - 1] and s[i].isalpha())
    if i >= 0:
        return s[:i] + s[i + 1:]
    i = first_index(s, lambda i: 0 < i < len(s) - 1 and s[i] in DOUBLES
                    and s[i - 1] in VOWELS and s[i + 1] in VOWELS)
    return s[:i] + s[i] + s[i:] if i >= 0 else None


def r_final_h(s):
    if s.endswith("h"):
        return s[:-1]
    return s + "h" if s[-1] in VOWELS else None


def r_al_el(s):
    for a, b in (("al-", "el-"), ("el-", "al-"), ("al ", "el "), ("el ", "al ")):
        if s.startswith(a):
            return b + s[len(a):]
    return None


def r_vowel(s):
    swap = {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}
    i = first_index(s, lambda i: i > 0 and s[i] in swap)
    return s[:i] + swap[s[i]] + s[i + 1:] if i >= 0 else None


ROMAN = [("kh/h", r_kh_h), ("q/k", r_q_k), ("k/q", r_k_q), ("ou/u", r_ou_u),
         ("doubled letter", r_double), ("final -h", r_final_h), ("al-/el-", r_al_el),
         ("vowel swap", r_vowel)]


def recase(new, like):
    return new[:1].upper() + new[1:] if like[:1].isupper() else new


UU_LINE = re.compile(r"M[\x20-\x60]{60}")
B64_LINE = re.compile(r"[A-Za-z0-9+/]{58,76}={0,2}")


def binary_line(line):
    """A uuencoded line ("M" and 60 characters of ! to `, two spaces at most)
    or a base64 one (60 to 76 characters, upper and lower case and digits)."""
    s = line[:-1] if line.endswith("\r") else line
    if UU_LINE.fullmatch(s):
        return s.count(" ") <= 2
    if 60 <= len(s) <= 76 and B64_LINE.fullmatch(s):
        core = s.rstrip("=")
        return (any(c.isupper() for c in core) and any(c.islower() for c in core)
                and any(c.isdigit() for c in core))
    return False


def without_binary(text):
    if len(text) < 60:
        return text
    return "\n".join(l for l in text.split("\n") if not binary_line(l))


def main():
    news, names, out = sys.argv[1:4]
    prefix = sys.argv[4] if len(sys.argv) > 4 else "E"
    ids, texts, lows = [], [], []
    df = Counter()
    for line in open(news, encoding="utf-8"):
        if not line.strip():
            continue
        a = json.loads(line)
        t = (a.get("title") or "") + "\n" + without_binary(a.get("body") or "")
        ids.append(a["id"])
        texts.append(t)
        low = t.lower()
        lows.append(low)
        df.update(set(WORD.findall(low)))

    cache = {}

    def docs(s):
        if s not in cache:
            rx = spelling_re(s)
            key = WORD.findall(s.lower())
            key = max(key, key=len) if key else s.lower()
            cache[s] = {i for i, low in enumerate(lows) if key in low and rx.search(texts[i])}
        return cache[s]

    ents, dropped = [], []
    kind_index = Counter()
    for line in open(names, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        kind, spell = cols[0], cols[1].split("|")
        idx = kind_index[kind]
        kind_index[kind] += 1
        att = [s for s in spell if docs(s)]
        rel = set().union(*(docs(s) for s in att)) if att else set()
        rule = ""
        if not att:
            dropped.append((cols[1], "no attested spelling"))
            continue
        by_freq = sorted(att, key=lambda s: (-len(docs(s)), s))
        if kind == "rare":
            if len(att) < 2:
                dropped.append((cols[1], "one attested spelling"))
                continue
            q = sorted(att, key=lambda s: (len(docs(s)), s))[0]
            rule = f"{len(docs(q))} of {len(rel)} articles"
        elif kind == "roman":
            base, q = by_freq[0], None
            for k in range(len(ROMAN)):
                name, f = ROMAN[(idx + k) % len(ROMAN)]
                c = f(base.lower())
                if c and c != base.lower() and not docs(recase(c, base)):
                    q, rule = recase(c, base), name
                    break
            if q is None:
                dropped.append((cols[1], "no rule gives an unseen spelling"))
                continue
        elif kind == "joinsplit":
            base = by_freq[0]
            w = base.split()
            if len(w) > 1:
                q, rule = w[0] + "".join(x.lower() for x in w[1:]), "join"
            else:
                best = None
                for p in range(3, len(base) - 2):
                    a, b = base[:p].lower(), base[p:].lower()
                    if df[a] and df[b] and (best is None or df[a] * df[b] > best[0]):
                        best = (df[a] * df[b], p)
                if best is None:
                    dropped.append((cols[1], "no split into two archive words"))
                    continue
                q, rule = base[:best[1]] + " " + base[best[1]:], "split"
        elif kind == "hyphen":
            q, rule = cols[2], "hyphenated"
        elif kind == "diacritics":
            q, rule = cols[2], "accents added"
        elif kind == "longform":
            longs = [s for s in att if not s.isupper()]
            if not longs:
                dropped.append((cols[1], "long form not attested"))
                continue
            q = sorted(longs, key=lambda s: (-len(s), s))[0]
            rule = "long form"
        else:
            sys.exit(f"entity-set: {names}: unknown kind {kind!r}")
        if not 2 <= len(rel) <= 1000:
            dropped.append((cols[1], f"{len(rel)} relevant articles"))
            continue
        ents.append({"kind": kind, "rule": rule, "query": q, "att": att,
                     "rel": sorted(ids[i] for i in rel)})

    rng = random.Random(19)
    for n, e in enumerate(ents):
        e["qid"] = f"{prefix}{n + 1:03d}"
    for kind in sorted({e["kind"] for e in ents}):
        group = [e for e in ents if e["kind"] == kind]
        rng.shuffle(group)
        for j, e in enumerate(group):
            e["split"] = "tune" if j % 2 == 0 else "test"

    for split in ("tune", "test"):
        with open(f"{out}/{split}.queries.tsv", "w", encoding="utf-8") as fq, \
                open(f"{out}/{split}.qrels", "w", encoding="utf-8") as fr:
            for e in ents:
                if e["split"] == split:
                    fq.write(f"{e['qid']}\t{e['query']}\n")
                    for d in e["rel"]:
                        fr.write(f"{e['qid']} 0 {d} 1\n")
    with open(f"{out}/entities.tsv", "w", encoding="utf-8") as f:
        f.write("qid\tsplit\tkind\trule\tquery\tattested\trelevant\n")
        for e in ents:
            f.write(f"{e['qid']}\t{e['split']}\t{e['kind']}\t{e['rule']}\t{e['query']}\t"
                    f"{'|'.join(e['att'])}\t{len(e['rel'])}\n")
    kinds = Counter(e["kind"] for e in ents)
    print(f"entity-set: {len(ents)} entities ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
          f"tune {sum(e['split'] == 'tune' for e in ents)}, test {sum(e['split'] == 'test' for e in ents)}",
          file=sys.stderr)
    for s, why in dropped:
        print(f"entity-set: dropped {s}: {why}", file=sys.stderr)


if __name__ == "__main__":
    main()
