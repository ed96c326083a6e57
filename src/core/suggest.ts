import {en} from './messages.js'

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1))
      diagonal = above
    }
  }
  return prev[b.length]
}

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

/** The `count` candidates nearest to `word` by edit distance on `key` (ties keep their order). */
export function nearest<T>(word: string, candidates: readonly T[], key: (c: T) => string, count = 3): T[] {
  return candidates
    .map((c, i) => ({c, i, d: editDistance(word.toLowerCase(), key(c).toLowerCase())}))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, count)
    .map((x) => x.c)
}

/** The hint for a customer number that does not exist: the nearest similar ones, else how to search. */
export function unknownCustomerHint(id: string, similar: readonly {customerId: string; name: string}[]): string {
  const near = nearest(id, similar, (c) => c.customerId)
  return near.length > 0
    ? en('didYouMean', {candidates: near.map((c) => `${c.customerId} (${c.name})`).join(', ')})
    : en('listCustomers')
}
