import {pickValue, type UnmatchedValue} from '../core/filter-match.js'
import type {FilterField} from '../core/filter-match.js'
import type {FilterValueRepository} from '../db/repositories/filter-values.js'

/**
 * --branch and --rm as the book spells them: exact first, else the one value that equals the text but for case or
 * contains it (told through `note`). `contacts`: --rm also matches the managers recorded on contacts.
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
    const picked = pickValue(field, text, () => repo.values(field, options.contacts).map((value) => ({value})), note)
    filter[field] = picked.value as F[typeof field]
    if (picked.unmatched) unmatched.push(picked.unmatched)
  }
  return {filter, unmatched}
}
