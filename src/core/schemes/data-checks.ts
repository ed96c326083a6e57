import {ExitCode, UserError} from '../../errors.js'
import {cutText} from '../cut-text.js'
import {maskLookalike, PERSONAL_FIELDS} from '../masking.js'
import {en} from '../messages.js'
import type {Expr, Value} from '../rules/compile.js'
import {closestMatch} from '../suggest.js'
import {type CompiledScheme, SchemeError} from './scheme.js'

/**
 * Checks of a scheme against the data it classifies (a stored portfolio or a file): mistakes that compiling the
 * scheme alone cannot see, because they are about names and values in the data.
 */

/**
 * The kept columns to look for in the data: every extra the scheme declares but those it says are optional (money?),
 * which only --where must find. Looking for a column nobody has reads the whole portfolio, so none is looked for in
 * vain.
 */
export function keptColumnsRead(compiled: CompiledScheme): string[] {
  const {extras, optionalExtras} = compiled.scheme
  const names = new Set(Object.keys(extras).filter((name) => !optionalExtras.includes(name)))
  for (const name of compiled.where?.reads ?? []) if (name in extras) names.add(name)
  return [...names]
}

/**
 * A declared kept column that the data lacks is almost always a typo or a wrong case (Months_Inactive_12_month): every
 * rule reading it would be unknown, and every customer would fall to the default tier. `missing` are the names of
 * keptColumnsRead the data lacks, `kept` the kept columns it has. A mistake in the scheme exits 3; a column only
 * --where reads, or an optional one (money?) that --where reads, is a usage error (exit 2).
 */
export function checkKeptColumns(
  compiled: CompiledScheme,
  missing: readonly string[],
  kept: readonly string[],
  inFile: boolean,
): void {
  const {scheme} = compiled
  const where = compiled.where?.reads ?? []
  for (const name of missing) {
    if (scheme.optionalExtras.includes(name) && !where.includes(name)) continue
    const optional = scheme.optionalExtras.includes(name)
    const hint = keptHint(name, kept, inFile, !optional)
    const place = scheme.places.get(`extras.${name}`)
    if (!optional)
      throw new SchemeError(
        scheme.file,
        scheme.text,
        place?.node.range?.[0] ?? 0,
        name.length,
        en(inFile ? 'extraNotInFile' : 'extraNotKept', {name}),
        hint,
      )
    throw new UserError(en(inFile ? 'whereNotInFile' : 'whereNotKept', {name}), ExitCode.Usage, hint)
  }
}

function keptHint(name: string, kept: readonly string[], inFile: boolean, declared: boolean): string {
  const near = closestMatch(name, kept)
  if (near !== undefined)
    return near.toLowerCase() === name.toLowerCase()
      ? en('caseSensitive', {name: near})
      : en('didYouMean', {candidates: `"${near}"`})
  if (kept.length === 0) return en(inFile ? 'noKeptInFile' : 'noKeptInBook')
  const shown = kept
    .slice(0, 12)
    .map((k) => `"${k}"`)
    .join(', ')
  const columns =
    kept.length > 12 ? en('keptColumnsAreMore', {shown, more: kept.length - 12}) : en('keptColumnsAre', {shown})
  return declared ? `${columns}; ${en('optionalExtraTip')}` : columns
}

/** A comparison of a text column with written values, whose values the census counts. */
interface Watch {
  readonly slot: number
  readonly field: string
  readonly rule: string
  readonly text: string
  readonly literals: readonly string[]
}

/** A written value that the column never holds, with the values it does hold (most common first). */
export interface UnseenValue {
  readonly field: string
  readonly value: string
  readonly rule: string
  readonly holds: readonly {readonly value: string; readonly customers: number}[]
  readonly did_you_mean: string | null
}

/** How many distinct values of a column are counted: enough to list the most common and suggest one. */
const MAX_DISTINCT = 1000
const SHOWN = 5

/**
 * Counts the values of the text columns a scheme compares with written text (Card_Category = 'blue'), so that a
 * written value no customer holds (the data says 'Blue') can be reported: the rule would quietly never hold.
 * Enum fields are checked when the scheme compiles; personal fields and names are never counted.
 */
export class ValueCensus {
  private readonly watches: Watch[]
  private readonly counts: Map<string, number>[]
  private readonly seen: Set<string>[]

  constructor(compiled: CompiledScheme) {
    const rules: [string, Expr | null][] = [
      ['--where', compiled.where],
      ['applies_to', compiled.appliesTo],
      ...compiled.tiers.map((t): [string, Expr | null] => [`tier "${t.tier.id}"`, t.rule]),
    ]
    const watches: Watch[] = []
    for (const [rule, e] of rules) if (e !== null) collect(e, rule, compiled, watches)
    this.watches = watches
    this.counts = watches.map(() => new Map())
    this.seen = watches.map(() => new Set())
  }

  get empty(): boolean {
    return this.watches.length === 0
  }

  /** Counts one customer's values (Row.values order). */
  add(values: readonly Value[]): void {
    for (let w = 0; w < this.watches.length; w++) {
      const v = values[this.watches[w].slot]
      if (typeof v !== 'string') continue
      const counts = this.counts[w]
      const n = counts.get(v)
      if (n !== undefined) counts.set(v, n + 1)
      else if (counts.size < MAX_DISTINCT) counts.set(v, 1)
      if (this.watches[w].literals.includes(v)) this.seen[w].add(v)
    }
  }

  /** Each written value no counted customer holds. Values that look like personal data are masked unless `reveal`. */
  /** The input slots watched, in the order addCounts takes them. */
  slots(): number[] {
    return this.watches.map((w) => w.slot)
  }

  /** The written values a watch compares its input with. */
  literals(watch: number): readonly string[] {
    return this.watches[watch].literals
  }

  /**
   * Counts a watched input's values at once (the SQL engine groups them): value and customers, at most MAX_DISTINCT
   * values kept, as add does.
   */
  addCounts(watch: number, values: Iterable<readonly [string, number]>): void {
    const counts = this.counts[watch]
    for (const [v, n] of values) {
      const had = counts.get(v)
      if (had !== undefined) counts.set(v, had + n)
      else if (counts.size < MAX_DISTINCT) counts.set(v, n)
      if (this.watches[watch].literals.includes(v)) this.seen[watch].add(v)
    }
  }

  unseen(reveal: boolean): UnseenValue[] {
    const found: UnseenValue[] = []
    const reported = new Set<string>()
    this.watches.forEach((watch, w) => {
      const held = [...this.counts[w]].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      // A column with no value at all (an optional one the data lacks, or an empty one) is unknown, not a typo.
      if (held.length === 0) return
      // Cut, and once: a rule of thousands of values is named by each value in it that no customer holds.
      const rule = cutText(`${watch.rule}: ${watch.text}`, 120)
      for (const value of watch.literals) {
        const key = `${watch.field}\u0000${value}`
        if (this.seen[w].has(value) || reported.has(key)) continue
        reported.add(key)
        const shown = (v: string) => (reveal ? v : maskLookalike(v))
        const near = closestMatch(
          value,
          held.map(([v]) => v),
        )
        found.push({
          field: watch.field,
          value,
          rule,
          holds: held.slice(0, SHOWN).map(([v, n]) => ({value: shown(v), customers: n})),
          did_you_mean: near === undefined ? null : shown(near),
        })
      }
    })
    return found
  }
}

/** An unseen value as one line for stderr. */
export function unseenText(u: UnseenValue): string {
  const holds = `it holds ${u.holds
    .map((h) => `'${h.value}' (${h.customers.toLocaleString('en-US')})`)
    .join(', ')}${u.holds.length === SHOWN ? ' …' : ''}`
  return `${u.field} is never '${u.value}' in this data (${u.rule}): ${holds}${
    u.did_you_mean === null ? '' : `; did you mean '${u.did_you_mean}'?`
  }`
}

const WATCHED_OPS = ['=', '!=', 'in', 'not in']

function collect(e: Expr, rule: string, compiled: CompiledScheme, out: Watch[]): void {
  const shape = e.shape
  if (shape.kind === 'and' || shape.kind === 'or') for (const p of shape.parts) collect(p, rule, compiled, out)
  else if (shape.kind === 'not') collect(shape.part, rule, compiled, out)
  else if (shape.kind === 'define') collect(shape.target, rule, compiled, out)
  else if (shape.kind === 'compare' && WATCHED_OPS.includes(shape.op)) {
    const [first, ...rest] = shape.sides
    const [subject, others] = first.constant && rest.length === 1 ? [rest[0], [first]] : [first, rest]
    const input = inputOf(subject)
    if (input === undefined || subject.type !== 'text') return
    const slot = compiled.inputs.findIndex((i) => i.name === input)
    const spec = compiled.inputs[slot]
    if (
      spec === undefined ||
      spec.values !== undefined ||
      spec.source === 'contact' ||
      PERSONAL_FIELDS.includes(input) ||
      input === 'name'
    )
      return
    const literals = others
      .filter((o) => o.constant && o.type === 'text')
      .map((o) => o.eval({values: [], index: 0}))
      .filter((v): v is string => typeof v === 'string')
    if (literals.length > 0) out.push({slot, field: input, rule, text: e.text, literals})
  }
}

/** The input an expression is, directly or through defined names. */
function inputOf(e: Expr): string | undefined {
  let x = e
  while (x.shape.kind === 'define') x = x.shape.target
  return x.shape.kind === 'input' && !x.constant ? x.shape.name : undefined
}
