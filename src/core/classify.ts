import {en} from './messages.js'
import {addDays} from './dates.js'
import {groups, type Row, type Value, type Window} from './rules/compile.js'
import {broken, held, missing, type Score, scores, sidesRead, valuesRead} from './rules/trace.js'
import type {CompiledScheme, Tier, TierOrder} from './schemes/scheme.js'

/**
 * Sorts a portfolio into a scheme's tiers: the first tier whose rule holds wins. Portfolio measures (quintile,
 * percent_rank, cume_share, mean, median, percentile) are computed over the customers the scheme applies to, so
 * the database path and `classify check` give the same tiers for the same rows. Tied values share a rank
 * (cume_share alone orders them by key, customer_id), so the result never depends on the order rows arrive in.
 */

/** A customer to classify: a key (customer_id, or a line number when there is none) and its inputs' values. */
export interface PortfolioRow {
  readonly key: string
  readonly values: readonly Value[]
  /** Why the row is invalid (a kept column's text that is not of its declared type): it is then not classified. */
  readonly problem?: string
}

export interface Classification {
  /** Indexes into the rows given, of the customers the scheme applies to (and --where selects), in order. */
  readonly members: Int32Array
  /** Per member: the index of its tier in scheme.tiers, or -1 when no tier's rule held. */
  readonly tiers: Int32Array
  /** Per member: which rule held, with the values that decided it. */
  readonly reasons: string[]
  /** Rows left out: the scheme does not apply to them, or --where did not select them. */
  readonly skipped: number
}

export const NO_TIER = -1

/** Classifies a whole portfolio in memory. */
export function classifyPortfolio(compiled: CompiledScheme, rows: readonly PortfolioRow[]): Classification {
  const row: Row = {values: [], index: 0}
  const memberList: number[] = []
  for (let i = 0; i < rows.length; i++) {
    row.values = rows[i].values
    if (selects(compiled, row)) memberList.push(i)
  }
  const members = Int32Array.from(memberList)
  for (const window of compiled.windows) computeWindow(window, rows, members)
  const tiers = new Int32Array(members.length)
  const reasons = new Array<string>(members.length)
  const reasonOf = tierReasons(compiled)
  for (let m = 0; m < members.length; m++) {
    row.values = rows[members[m]].values
    row.index = m
    const t = tierOf(compiled, row)
    tiers[m] = t
    reasons[m] = reasonOf(t, row)
  }
  return {members, tiers, reasons, skipped: rows.length - members.length}
}

/** An input the scheme reads that is unknown for a large share of the customers classified. */
export interface MissingInput {
  readonly field: string
  /** Customers classified whose value is null. */
  readonly unknown: number
  /** unknown / customers classified. */
  readonly share: number
}

/** The share of unknown values from which classify warns: a fifth of the portfolio. */
export const MISSING_SHARE = 0.2

/**
 * Counts, per input of the scheme, the customers classified whose value is unknown; `missing` lists the inputs
 * unknown for MISSING_SHARE or more of them, most missing first.
 */
export function nullTally(compiled: CompiledScheme): {
  add: (values: readonly Value[]) => void
  /** Counts many members at once: `unknown[i]` of them have no value for input i (the SQL engine counts them). */
  addCounts: (count: number, unknown: readonly number[]) => void
  missing: () => MissingInput[]
} {
  const nulls = compiled.inputs.map(() => 0)
  // What decides a tier: the inputs the tiers' rules read. The scope (applies_to, --where) says how it treats null
  // itself (`coalesce(status, 'active') != 'closed'`), and an unknown there decides nothing about the tier.
  const deciding = new Set(compiled.tiers.flatMap((t) => t.rule?.reads ?? []))
  let members = 0
  return {
    add(values) {
      members++
      for (let i = 0; i < nulls.length; i++) if (values[i] === null || values[i] === undefined) nulls[i]++
    },
    addCounts(count, unknown) {
      members += count
      for (let i = 0; i < nulls.length; i++) nulls[i] += unknown[i] ?? 0
    },
    missing: () =>
      compiled.inputs
        .map((input, i) => ({field: input.name, unknown: nulls[i], share: members === 0 ? 0 : nulls[i] / members}))
        .filter((m) => m.unknown > 0 && m.share >= MISSING_SHARE && deciding.has(m.field))
        .sort((a, b) => b.share - a.share),
  }
}

/**
 * The portfolio measures that separated no one in the last computation: every known input the same value (a
 * transaction count of 0 for everybody puts everybody in the top quintile, with confidence it does not have).
 */
export function flatMeasures(compiled: CompiledScheme): string[] {
  return compiled.windows
    .filter((w) => w.flat === true)
    .map((w) => `${w.fn}(${w.fn === 'ntile' ? `${w.buckets}, ` : ''}${w.text})`)
}

/** Whether the scheme applies to a row and --where selects it (neither may use portfolio measures). */
export function selects(compiled: CompiledScheme, row: Row): boolean {
  return (
    (compiled.appliesTo === null || compiled.appliesTo.eval(row) === true) &&
    (compiled.where === null || compiled.where.eval(row) === true)
  )
}

/** Whether the scheme needs the whole portfolio before it can classify one customer. */
export function needsPortfolio(compiled: CompiledScheme): boolean {
  return compiled.windows.length > 0
}

export function tierOf(compiled: CompiledScheme, row: Row): number {
  const tiers = compiled.tiers
  for (let t = 0; t < tiers.length; t++) {
    const rule = tiers[t].rule
    if (rule === null || rule.eval(row) === true) return t
  }
  return NO_TIER
}

/**
 * The reason a row is in tier `t`, for every row of a scheme: the sides that a default tier's reason reads (those of
 * the rules above it) are found once, here, not per row.
 */
export function tierReasons(compiled: CompiledScheme): (t: number, row: Row) => string {
  const rules = compiled.tiers.flatMap((x) => (x.rule ? [x.rule] : []))
  const above = [...compiled.tiers.map((_, i) => sidesRead(rules.slice(0, i))), sidesRead(rules)]
  return (t, row) => {
    if (t === NO_TIER) return `no tier's rule held: ${valuesRead(above[compiled.tiers.length], row).join('; ')}`
    const rule = compiled.tiers[t].rule
    if (rule === null) return en('noRuleAboveHeld', {values: valuesRead(above[t], row).join('; ')})
    return held(rule, row).join('; ')
  }
}

/** The reason for one row; tierReasons for many. */
export function reasonFor(compiled: CompiledScheme, t: number, row: Row): string {
  return tierReasons(compiled)(t, row)
}

/** A move to another tier, and what would have to change for it. */
export interface Move {
  readonly tier: Tier
  readonly needs: readonly string[]
}

/**
 * Why a row is in its tier; what would move it to the next better tier, and for a worst-first (risk) scheme what would
 * make it fall to the next worse one; and the scores its tier's rule compares, term by term.
 */
export interface Explanation {
  readonly tier: Tier | null
  readonly reason: string
  readonly order: TierOrder
  /** Whether the tier is in the scheme's order (false for unscored, to be checked: no move is shown). */
  readonly ranked: boolean
  readonly better: Move | null
  readonly worse: Move | null
  readonly scores: readonly Score[]
  /** A kept column the rules read is not of its declared type: the customer gets no tier, as in a run. */
  readonly invalid: boolean
}

/** The explanation of a customer a run leaves out as invalid: no tier, the reason, no move. */
export function invalidExplanation(order: TierOrder, reason: string): Explanation {
  return {tier: null, reason, order, ranked: false, better: null, worse: null, scores: [], invalid: true}
}

export function explainRow(compiled: CompiledScheme, row: Row): Explanation {
  const t = tierOf(compiled, row)
  const reason = reasonFor(compiled, t, row)
  const tier = t === NO_TIER ? null : compiled.tiers[t]
  const ranked = tier === null || tier.tier.ranked
  const order = compiled.scheme.order
  // No tier at all sits after the last: the worst of a best-first scheme, the least risky of a worst-first one.
  const at = t === NO_TIER ? compiled.tiers.length : t
  const before = compiled.tiers.map((_, i) => i).filter((i) => i < at)
  const after = compiled.tiers.map((_, i) => i).filter((i) => i > at)
  const better = ranked ? nearest(compiled, row, at, order === 'best-first' ? before.reverse() : after, 'to') : null
  const worse = ranked && order === 'worst-first' ? nearest(compiled, row, at, before.reverse(), 'if') : null
  // A default tier's reason reads the rules above it: so do its scores.
  const rules = tier?.rule ? [tier.rule] : compiled.tiers.slice(0, at).flatMap((x) => (x.rule ? [x.rule] : []))
  const read = new Map(rules.flatMap((r) => scores(r, row)).map((s) => [s.name, s]))
  return {tier: tier?.tier ?? null, reason, order, ranked, better, worse, scores: [...read.values()], invalid: false}
}

/**
 * Of the ranked tiers listed nearest first, the one reached with the fewest changes (the nearest of those). Taking
 * the nearest alone would send an RFM Can't-lose customer (r <= 2, f = 5) to About to sleep (r = 3, f <= 2), asking
 * for fewer transactions; Loyal (r in (3, 4)) needs only the one change that is the real way up.
 */
function nearest(
  compiled: CompiledScheme,
  row: Row,
  at: number,
  candidates: readonly number[],
  phrase: 'to' | 'if',
): Move | null {
  let best: Move | null = null
  for (const i of candidates) {
    const {tier, rule} = compiled.tiers[i]
    if (!tier.ranked) continue
    // A tier listed earlier is reached when its rule holds; a later one also needs every rule from ours to it to stop
    // holding.
    const stop = compiled.tiers.slice(at, i).flatMap((x) => (x.rule ? broken(x.rule, row) : []))
    const needs = [...stop, ...(rule ? missing(rule, row, phrase) : [])]
    if (needs.length > 0 && (best === null || needs.length < best.needs.length)) best = {tier, needs}
  }
  return best
}

/** When a customer in a tier with a contact cadence is next due, from its last contact up to `today`. */
export interface NextContact {
  readonly cadenceDays: number
  readonly lastContactOn: string | null
  /** last contact + cadence; null when never contacted (due now). */
  readonly dueOn: string | null
  /**
   * never contacted; overdue (dueOn is before today, as contact due lists it); due today; upcoming; or closed (never
   * due).
   */
  readonly status: 'never' | 'overdue' | 'today' | 'upcoming' | 'closed'
}

export function nextContact(
  cadenceDays: number,
  lastContactOn: string | null,
  today: string,
  closed = false,
): NextContact {
  // contact due never chases a closed customer: neither does explain.
  if (closed) return {cadenceDays, lastContactOn, dueOn: null, status: 'closed'}
  if (lastContactOn === null) return {cadenceDays, lastContactOn, dueOn: null, status: 'never'}
  const dueOn = addDays(lastContactOn, cadenceDays)
  return {cadenceDays, lastContactOn, dueOn, status: dueOn < today ? 'overdue' : dueOn === today ? 'today' : 'upcoming'}
}

/**
 * PostgreSQL's percentile_cont over the known values: the value at position p × (n − 1) of the sorted values,
 * interpolated linearly between the two around it. NaN when none is known.
 */
export function percentileCont(args: readonly Value[], p: number): number {
  const known = args
    .filter((v) => v !== null)
    .map(Number)
    .sort((a, b) => a - b)
  if (known.length === 0) return Number.NaN
  const at = p * (known.length - 1)
  const below = Math.floor(at)
  const above = Math.ceil(at)
  return below === above ? known[below] : known[below] + (at - below) * (known[above] - known[below])
}

type Sortable = number | bigint | string

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0
  if (a === null) return -1 // nulls sort first, as in SQL's ascending order
  if (b === null) return 1
  return (a as Sortable) < (b as Sortable) ? -1 : 1
}

/**
 * Fills a window's values for the members. A measure of an unknown value is unknown (NaN here, null in rules), and
 * the ranks are taken among the known values only: a missing input is never the lowest group.
 * - quintile(x) = ntile(5, x); ntile(k, x) = ceil(k × cume_dist), where cume_dist is the share of the known values
 *   that are <= x (SQL's CUME_DIST over the known values). Tied values share a group, so identical customers always
 *   get the same tier; a group may be larger or smaller than n / k, or empty.
 * - percent_rank(x) = (the known values < x) / (known − 1), 0 when only one is known (SQL's PERCENT_RANK).
 * - cume_share(x): largest first, the share of the known total held by this customer and everyone above it; ties
 *   are ordered by key (customer_id), so the ABC boundary never depends on row order.
 */
export function computeWindow(window: Window, rows: readonly PortfolioRow[], members: Int32Array): void {
  const n = members.length
  const row: Row = {values: [], index: 0}
  const args = new Array<Value>(n)
  for (let m = 0; m < n; m++) {
    row.values = rows[members[m]].values
    row.index = m
    args[m] = window.arg.eval(row)
  }
  fillWindow(
    window,
    n,
    (m) => args[m],
    (m) => rows[members[m]].key,
  )
}

/**
 * computeWindow's arithmetic, given each member's argument (`arg`) and key (`key`, read for cume_share's ties only)
 * rather than the rows: classify check keeps a portfolio's arguments in typed arrays and calls this too.
 */
export function fillWindow(window: Window, n: number, arg: (m: number) => Value, key: (m: number) => string): void {
  window.flat = false
  // Groups take 2 bytes a customer, 0 for none (check holds one per measure while it prints every row).
  const single = window.fn === 'mean' || window.fn === 'median' || window.fn === 'percentile'
  const values = groups(window.fn) ? new Uint16Array(n) : new Float64Array(single ? 1 : n).fill(Number.NaN)
  window.values = values
  if (window.fn === 'mean') {
    let sum = 0
    let count = 0
    for (let m = 0; m < n; m++) {
      const v = arg(m)
      if (v !== null) {
        sum += Number(v)
        count++
      }
    }
    if (count > 0) values[0] = sum / count
    return
  }
  if (window.fn === 'median' || window.fn === 'percentile') {
    values[0] = percentileCont(
      Array.from({length: n}, (_, m) => arg(m)),
      window.fraction ?? 0.5,
    )
    return
  }
  // Sorted without a comparator where the values are numbers: in place, off the JS heap (a million rows in check).
  const sorted = sortedKnown(
    window.fn === 'cume_share'
      ? (m) => {
          const v = arg(m)
          return v === null ? null : Number(v)
        }
      : arg,
    n,
  )
  const known = sorted.length
  window.flat = known > 1 && compareValues(sorted[0] as Value, sorted[known - 1] as Value) === 0
  if (window.fn === 'cume_share') {
    // Largest first: running[i] is the share held by the i + 1 largest, added in that order. A share is a
    // fraction, so amounts beyond 2^53 fen may add up in floating point here.
    const running = new Float64Array(known)
    let total = 0
    for (let i = 0; i < known; i++) running[i] = total += sorted[known - 1 - i] as number
    if (total <= 0) return
    // A customer's share counts itself and everyone above it: every larger amount, then equal amounts by key.
    const ties = new Map<number, number[]>()
    for (let m = 0; m < n; m++) {
      const v = arg(m)
      if (v === null) continue
      const amount = Number(v)
      const upTo = rankOf(sorted, amount, true)
      const larger = known - upTo
      if (upTo - rankOf(sorted, amount, false) === 1) values[m] = running[larger] / total
      else {
        const run = ties.get(larger)
        if (run === undefined) ties.set(larger, [m])
        else run.push(m)
      }
    }
    for (const [first, tied] of ties) {
      const keys = tied.map(key)
      // Stable: equal keys stay in input order.
      const order = tied.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))
      order.forEach((i, j) => {
        values[tied[i]] = running[first + j] / total
      })
    }
    return
  }
  const k = window.buckets
  for (let m = 0; m < n; m++) {
    const v = arg(m)
    if (v === null) continue
    // `below` known values are smaller than v, `upTo` are <= it: tied values share a rank and a group.
    const below = rankOf(sorted, v, false)
    values[m] =
      window.fn === 'percent_rank'
        ? known > 1
          ? below / (known - 1)
          : 0
        : Math.ceil((k * rankOf(sorted, v, true)) / known)
  }
}

/** The known values, ascending (nulls left out): a Float64Array when every one is a number. */
function sortedKnown(arg: (m: number) => Value, n: number): Float64Array | Value[] {
  let known = 0
  let numbers = true
  for (let m = 0; m < n; m++) {
    const v = arg(m)
    if (v === null) continue
    known++
    if (typeof v !== 'number') numbers = false
  }
  const sorted = numbers ? new Float64Array(known) : new Array<Value>(known)
  for (let m = 0, i = 0; m < n; m++) {
    const v = arg(m)
    if (v !== null) sorted[i++] = v as number
  }
  return numbers ? (sorted as Float64Array).sort() : (sorted as Value[]).sort(compareValues)
}

/** How many sorted values are smaller than v (or, with `orEqual`, smaller than or equal to it). */
function rankOf(sorted: Float64Array | Value[], v: Value, orEqual: boolean): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    const c = compareValues(sorted[mid], v)
    if (c < 0 || (orEqual && c === 0)) low = mid + 1
    else high = mid
  }
  return low
}
