import {pickValue, type UnmatchedValue} from '../core/filter-match.js'
import type {FilterField} from '../core/filter-match.js'
import type {FilterValueRepository} from '../db/repositories/filter-values.js'

/**
 * --branch and --rm as the book spells them: exact first, else the one value that equals the text but for case or
 * contains it (told through `note`). Values that differ only in ASCII case are one (the filters compare codes
 * without case: --rm rm0028 selects RM0028 and rm0028 alike). `contacts`: --rm also matches the managers
 * recorded on contacts.
 */
export function matchFilterValues<F extends {branch?: string; rm?: string}>(
  repo: FilterValueRepository,
  flags: F,
  note: (message: string) => void,
  options: {contacts?: boolean} = {},
): {filter: F; unmatched: UnmatchedValue[]} {
  const filter = {...flags}
  const unmatched: UnmatchedValue[] = []
  for (const field of ['branch', 'rm'] as const satisfies readonly FilterField[]) {
    const text = flags[field]
    if (text === undefined || repo.has(field, text, options.contacts)) continue
    const picked = pickValue(field, text, () => oneByCase(repo.values(field, options.contacts)), note)
    filter[field] = picked.value as F[typeof field]
    if (picked.unmatched) unmatched.push(picked.unmatched)
  }
  return {filter, unmatched}
}

/** The values, one for each spelling but for ASCII case (RM0028 and rm0028 are one manager to the filters). */
function oneByCase(values: readonly string[]): {value: string}[] {
  const seen = new Set<string>()
  const one: {value: string}[] = []
  for (const value of values) {
    const folded = value.replace(/[A-Z]/g, (c) => c.toLowerCase())
    if (!seen.has(folded)) one.push({value})
    seen.add(folded)
  }
  return one
}
