import {en} from './messages.js'
import {ExitCode, UserError} from '../errors.js'
import {nearest} from './suggest.js'

/** A value a filter flag may select, and the other names it answers to (a tier's labels). */
export interface FilterCandidate {
  readonly value: string
  readonly names?: readonly string[]
}

/** What a typed filter value selects: a value (with a note when it was not typed exactly), several, or none. */
export type FilterMatch =
  | {readonly kind: 'value'; readonly value: string; readonly note?: string}
  | {readonly kind: 'several'; readonly values: readonly string[]}
  | {readonly kind: 'none'; readonly nearest: readonly string[]}

const namesOf = (c: FilterCandidate) => [c.value, ...(c.names ?? [])]

/**
 * Matches `text` typed for `--flag` against the values there are: an exact value or name first, then one equal but
 * for case, then the only one that contains the text. Case-insensitive steps fold ASCII letters only.
 */
export function matchFilterValue(flag: string, text: string, candidates: readonly FilterCandidate[]): FilterMatch {
  const exact = candidates.find((c) => namesOf(c).includes(text))
  if (exact) return {kind: 'value', value: exact.value}
  const fold = text.toLowerCase()
  const noted = (c: FilterCandidate): FilterMatch => ({
    kind: 'value',
    value: c.value,
    note: en('filterMatched', {flag, text, value: c.value}),
  })
  const sameCase = candidates.filter((c) => namesOf(c).some((n) => n.toLowerCase() === fold))
  if (sameCase.length === 1) return noted(sameCase[0])
  const containing =
    sameCase.length > 1 || fold === ''
      ? sameCase
      : candidates.filter((c) => namesOf(c).some((n) => n.toLowerCase().includes(fold)))
  if (containing.length === 1) return noted(containing[0])
  if (containing.length > 1) return {kind: 'several', values: containing.map((c) => c.value)}
  return {kind: 'none', nearest: nearest(text, candidates, (c) => c.value).map((c) => c.value)}
}

/** A filter value no customer has, with the nearest there are. */
export interface UnmatchedValue {
  readonly flag: string
  readonly text: string
  readonly nearest: readonly string[]
}

/** The did-you-mean for values that select nobody: `--branch 浦西支行: did you mean 浦东支行, …?` */
export function unmatchedHint(unmatched: readonly UnmatchedValue[]): string {
  return unmatched
    .map((u) =>
      u.nearest.length > 0
        ? en('unmatchedNearest', {flag: u.flag, text: u.text, nearest: u.nearest.join(', ')})
        : en('unmatchedNone', {flag: u.flag, text: u.text}),
    )
    .join('; ')
}

/**
 * A typed value matched against candidates: the value, with `note` told when it was not typed exactly; several that
 * contain it are a usage error listing them; none comes back as unmatched (the text is kept, and selects nobody).
 */
export function pickValue(
  flag: string,
  text: string,
  candidates: () => readonly FilterCandidate[],
  note: (message: string) => void,
): {value: string; unmatched?: UnmatchedValue} {
  const match = matchFilterValue(flag, text, candidates())
  if (match.kind === 'several') {
    throw new UserError(
      en('filterSeveral', {flag, text, count: match.values.length, values: match.values.join(', ')}),
      ExitCode.Usage,
      en('giveOneInFull'),
    )
  }
  if (match.kind === 'none') return {value: text, unmatched: {flag, text, nearest: match.nearest}}
  if (match.note !== undefined) note(match.note)
  return {value: match.value}
}

/** The customer columns that filter flags match typed text against. */
export type FilterField = 'branch' | 'rm'
