import {type Expr, groups, type Row, type Value, type Window} from './rules/compile.js'
import {held, missing, valuesRead} from './rules/trace.js'
import type {CompiledScheme, Tier} from './schemes/scheme.js'

/**
 * Sorts a portfolio into a scheme's tiers: the first tier whose rule holds wins. Portfolio measures (quintile,
 * percent_rank, cume_share, mean) are computed over the customers the scheme applies to, so the database path
 * and `classify check` give the same tiers for the same rows. Tied values share a rank (cume_share alone orders
 * them by key, customer_id), so the result never depends on the order rows arrive in.
 */

/** A customer to classify: a key (customer_id, or a line number when there is none) and its inputs' values. */
export interface PortfolioRow {
  readonly key: string
  readonly values: readonly Value[]
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
  for (let m = 0; m < members.length; m++) {
    row.values = rows[members[m]].values
    row.index = m
    const t = tierOf(compiled, row)
    tiers[m] = t
    reasons[m] = reasonFor(compiled, t, row)
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
export function nullTally(compiled: CompiledScheme): {add: (values: readonly Value[]) => void; missing: () => MissingInput[]} {
  const nulls = compiled.inputs.map(() => 0)
  let members = 0
  return {
    add(values) {
      members++
      for (let i = 0; i < nulls.length; i++) if (values[i] === null || values[i] === undefined) nulls[i]++
    },
    missing: () => compiled.inputs
      .map((input, i) => ({field: input.name, unknown: nulls[i], share: members === 0 ? 0 : nulls[i] / members}))
      .filter((m) => m.unknown > 0 && m.share >= MISSING_SHARE)
      .sort((a, b) => b.share - a.share),
  }
}

/** Whether the scheme applies to a row and --where selects it (neither may use portfolio measures). */
export function selects(compiled: CompiledScheme, row: Row): boolean {
  return (compiled.appliesTo === null || compiled.appliesTo.eval(row) === true) && (compiled.where === null || compiled.where.eval(row) === true)
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

/** Per scheme, per tier: the rules above it (what a default tier's reason reads). */
const RULES_ABOVE = new WeakMap<CompiledScheme, Expr[][]>()

export function reasonFor(compiled: CompiledScheme, t: number, row: Row): string {
  let above = RULES_ABOVE.get(compiled)
  if (above === undefined) {
    const rules = compiled.tiers.flatMap((x) => (x.rule ? [x.rule] : []))
    RULES_ABOVE.set(compiled, (above = [...compiled.tiers.map((_, i) => rules.slice(0, i)), rules]))
  }
  if (t === NO_TIER) return `no tier's rule held: ${valuesRead(above[compiled.tiers.length], row).join('; ')}`
  const rule = compiled.tiers[t].rule
  if (rule === null) return `no rule above held: ${valuesRead(above[t], row).join('; ')}`
  return held(rule, row).join('; ')
}

/** Why a row is in its tier, and what would have to change for it to reach the tier above. */
export interface Explanation {
  readonly tier: Tier | null
  readonly reason: string
  readonly up: {readonly tier: Tier; readonly needs: readonly string[]} | null
}

export function explainRow(compiled: CompiledScheme, row: Row): Explanation {
  const t = tierOf(compiled, row)
  const reason = reasonFor(compiled, t, row)
  const above = t === NO_TIER ? compiled.tiers.length - 1 : t - 1
  const target = above >= 0 ? compiled.tiers[above] : undefined
  const up = target === undefined || target.rule === null ? null : {tier: target.tier, needs: missing(target.rule, row)}
  return {tier: t === NO_TIER ? null : compiled.tiers[t].tier, reason, up}
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
  fillWindow(window, n, (m) => args[m], (m) => rows[members[m]].key)
}

/**
 * computeWindow's arithmetic, given each member's argument (`arg`) and key (`key`, read for cume_share's ties only)
 * rather than the rows: classify check keeps a portfolio's arguments in typed arrays and calls this too.
 */
export function fillWindow(window: Window, n: number, arg: (m: number) => Value, key: (m: number) => string): void {
  // Groups take 2 bytes a customer, 0 for none (check holds one per measure while it prints every row).
  const values = groups(window.fn) ? new Uint16Array(n) : new Float64Array(window.fn === 'mean' ? 1 : n).fill(Number.NaN)
  window.values = values
  if (window.fn === 'mean') {
    let sum = 0
    let count = 0
    for (let m = 0; m < n; m++) {
      const v = arg(m)
      if (v !== null) { sum += Number(v); count++ }
    }
    if (count > 0) values[0] = sum / count
    return
  }
  // Sorted without a comparator where the values are numbers: in place, off the JS heap (a million rows in check).
  const sorted = sortedKnown(window.fn === 'cume_share' ? (m) => { const v = arg(m); return v === null ? null : Number(v) } : arg, n)
  const known = sorted.length
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
      order.forEach((i, j) => { values[tied[i]] = running[first + j] / total })
    }
    return
  }
  const k = window.buckets
  for (let m = 0; m < n; m++) {
    const v = arg(m)
    if (v === null) continue
    // `below` known values are smaller than v, `upTo` are <= it: tied values share a rank and a group.
    const below = rankOf(sorted, v, false)
    values[m] = window.fn === 'percent_rank' ? (known > 1 ? below / (known - 1) : 0) : Math.ceil((k * rankOf(sorted, v, true)) / known)
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
