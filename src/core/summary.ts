/**
 * Tier summaries: counts, exact sums of fen, shares, averages and contact coverage, per tier in the scheme's order
 * (tiers with no customers included), optionally per breakdown group, with subtotals and a grand total.
 * Money stays bigint fen from the database's SUM to the printed text: nothing passes through floating point.
 */

/** What the database adds up per tier (and group). */
export interface TierTotals {
  readonly tier: string
  readonly groups: readonly (string | null)[]
  readonly customers: number
  readonly aum: bigint
  readonly deposits: bigint
  readonly loans: bigint
  /** Customers contacted within the tier's cadence (or the window); null when the tier has no cadence. */
  readonly contacted: number | null
}

export interface SummaryRow {
  /** 'tier' a tier's row; 'subtotal' a group's; 'total' the whole portfolio's. */
  readonly kind: 'tier' | 'subtotal' | 'total'
  readonly tier: string
  readonly groups: readonly (string | null)[]
  readonly customers: number
  /** Share of the customers of its group (of the portfolio without a breakdown), 0..1. */
  readonly customerShare: number
  readonly aum: bigint
  /** Average AUM in fen, rounded half away from zero to the fen. */
  readonly aumAverage: bigint
  readonly deposits: bigint
  readonly loans: bigint
  readonly aumShare: number
  readonly contacted: number | null
  /** contacted / customers, null when unknown. */
  readonly coverage: number | null
}

/** a / b in fen, rounded half away from zero. */
export function divideFen(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n
  const q = a / b
  const r = a % b
  return 2n * (r < 0n ? -r : r) >= b ? q + (a < 0n ? -1n : 1n) : q
}

/** part / whole as a fraction with 6 decimals (display rounds further). */
function share(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0
  return Number((part * 1_000_000n * 2n + whole) / (2n * whole)) / 1_000_000
}

function add(rows: readonly TierTotals[]): Omit<TierTotals, 'tier' | 'groups'> {
  let customers = 0
  let aum = 0n
  let deposits = 0n
  let loans = 0n
  let contacted: number | null = null
  for (const r of rows) {
    customers += r.customers
    aum += r.aum
    deposits += r.deposits
    loans += r.loans
    if (r.contacted !== null) contacted = (contacted ?? 0) + r.contacted
  }
  return {customers, aum, deposits, loans, contacted}
}

function row(kind: SummaryRow['kind'], tier: string, groups: readonly (string | null)[], t: Omit<TierTotals, 'tier' | 'groups'>, whole: {customers: number; aum: bigint}, coveredCustomers: number): SummaryRow {
  return {
    kind, tier, groups, customers: t.customers, customerShare: whole.customers === 0 ? 0 : share(BigInt(t.customers), BigInt(whole.customers)),
    aum: t.aum, aumAverage: divideFen(t.aum, BigInt(t.customers)), deposits: t.deposits, loans: t.loans, aumShare: share(t.aum, whole.aum),
    contacted: t.contacted, coverage: t.contacted === null || coveredCustomers === 0 ? null : t.contacted / coveredCustomers,
  }
}

/**
 * Summary rows: for each group (one, without a breakdown), every tier in order then a subtotal (with a breakdown);
 * a total last. Customers no tier took (tier '') come after the tiers when there are any.
 */
export function summarize(tierOrder: readonly string[], totals: readonly TierTotals[]): SummaryRow[] {
  const key = (groups: readonly (string | null)[]) => JSON.stringify(groups)
  const groupKeys = [...new Map(totals.map((t) => [key(t.groups), t.groups])).values()]
    .sort((a, b) => key(a).localeCompare(key(b)))
  if (groupKeys.length === 0) groupKeys.push([])
  const tiers = totals.some((t) => t.tier === '') ? [...tierOrder, ''] : tierOrder
  const rows: SummaryRow[] = []
  for (const groups of groupKeys) {
    const inGroup = totals.filter((t) => key(t.groups) === key(groups))
    const whole = add(inGroup)
    for (const tier of tiers) {
      const found = inGroup.filter((t) => t.tier === tier)
      const sum = add(found)
      rows.push(row('tier', tier, groups, sum, whole, found.some((t) => t.contacted !== null) ? sum.customers : 0))
    }
    if (groups.length > 0) rows.push(row('subtotal', '', groups, whole, whole, coveredCount(inGroup)))
  }
  const all = add(totals)
  rows.push(row('total', '', [], all, all, coveredCount(totals)))
  return rows
}

/** Customers in tiers whose coverage is known (the denominator of a total's coverage). */
function coveredCount(rows: readonly TierTotals[]): number {
  return rows.reduce((n, r) => n + (r.contacted === null ? 0 : r.customers), 0)
}

/** A migration matrix between two runs of one scheme, with moves counted against the tier order (first is top). */
export interface Migration {
  readonly from: readonly string[]
  readonly to: readonly string[]
  readonly counts: ReadonlyMap<string, number>
  readonly up: number
  readonly down: number
  readonly unchanged: number
  readonly added: number
  readonly gone: number
}

export function migrationMatrix(tierOrder: readonly string[], cells: readonly {from: string | null; to: string | null; customers: number}[]): Migration {
  const rank = new Map(tierOrder.map((t, i) => [t, i]))
  const extra = (t: string) => (rank.has(t) ? [] : [t])
  const seen = new Set(cells.flatMap((c) => [c.from, c.to]).filter((t): t is string => t !== null))
  const order = [...tierOrder, ...[...seen].flatMap(extra)]
  const counts = new Map<string, number>()
  let up = 0
  let down = 0
  let unchanged = 0
  let added = 0
  let gone = 0
  for (const c of cells) {
    counts.set(cellKey(c.from, c.to), (counts.get(cellKey(c.from, c.to)) ?? 0) + c.customers)
    if (c.from === null) added += c.customers
    else if (c.to === null) gone += c.customers
    else {
      const a = order.indexOf(c.from)
      const b = order.indexOf(c.to)
      if (b < a) up += c.customers
      else if (b > a) down += c.customers
      else unchanged += c.customers
    }
  }
  return {from: order, to: order, counts, up, down, unchanged, added, gone}
}

/** The key of a matrix cell; null stands for new (as from) and gone (as to). */
export function cellKey(from: string | null, to: string | null): string {
  return `${from ?? '+new'}→${to ?? '-gone'}`
}
