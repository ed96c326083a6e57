import type {Expr, Value} from './compile.js'

/**
 * Whether one condition can only hold when another does, decided for simple shapes only: thresholds on one value
 * (aum >= 500万, x between 1 and 3, x = 'a', x in (…), x is not null) joined with and / or. Anything else counts as
 * unknown, so the answer is sound (true only when it is certain) but not complete. It finds tiers an earlier tier
 * shadows: wealth (aum >= 500万) after diamond (aum >= 200万) takes nobody.
 */

type Known = number | bigint | string | boolean

interface Bound {
  readonly value: Known
  readonly inclusive: boolean
}

interface Interval {
  readonly lo?: Bound
  readonly hi?: Bound
}

type Atom =
  | {readonly key: string; readonly kind: 'range'; readonly range: Interval}
  | {readonly key: string; readonly kind: 'set'; readonly values: readonly Known[]}
  | {readonly key: string; readonly kind: 'known'}

/** `a` holds only where `b` holds (true), or that is not certain (false). */
export function implies(a: Expr, b: Expr): boolean {
  const x = unwrap(a)
  const y = unwrap(b)
  if (x.shape.kind === 'or') return x.shape.parts.every((p) => implies(p, y))
  if (y.shape.kind === 'and') return y.shape.parts.every((p) => implies(x, p))
  if (y.shape.kind === 'or') return y.shape.parts.some((p) => implies(x, p))
  const want = atomOf(y)
  if (want === undefined) return false
  const have = conjuncts(x).flatMap((c) => {
    const atom = atomOf(c)
    return atom !== undefined && atom.key === want.key ? [atom] : []
  })
  if (have.length === 0) return false
  if (want.kind === 'known') return true
  const sets = have.filter((h) => h.kind === 'set')
  const candidates =
    sets.length > 0 ? sets.map((s) => s.values).reduce((p, q) => p.filter((v) => q.includes(v))) : undefined
  const range = have.reduce<Interval>((r, h) => (h.kind === 'range' ? intersect(r, h.range) : r), {})
  if (candidates !== undefined) return candidates.every((v) => (within(v, range) ? satisfies(v, want) : true))
  if (want.kind === 'range') return contains(want.range, range)
  // A range that is one point (x = 'a', x between 3 and 3) is in a set that holds the point.
  return (
    range.lo !== undefined &&
    range.hi !== undefined &&
    range.lo.inclusive &&
    range.hi.inclusive &&
    order(range.lo.value, range.hi.value) === 0 &&
    want.values.includes(range.lo.value)
  )
}

/** A condition that never holds: thresholds joined with and that no value meets (x > 5 and x < 3). */
export function neverHolds(e: Expr): boolean {
  const ranges = new Map<string, Interval>()
  for (const c of conjuncts(unwrap(e))) {
    const atom = atomOf(c)
    if (atom?.kind !== 'range') continue
    const range = intersect(ranges.get(atom.key) ?? {}, atom.range)
    if (isEmpty(range)) return true
    ranges.set(atom.key, range)
  }
  return false
}

function unwrap(e: Expr): Expr {
  let x = e
  while (x.shape.kind === 'define') x = x.shape.target
  return x
}

function conjuncts(e: Expr): Expr[] {
  const x = unwrap(e)
  return x.shape.kind === 'and' ? x.shape.parts.flatMap(conjuncts) : [x]
}

/**
 * What a value is, for matching thresholds on the same value: an input or a defined name by name, anything else by its
 * text (rules are pure, and a portfolio measure of the same text is computed once, so equal text is an equal value).
 */
function keyOf(e: Expr): string | undefined {
  if (e.constant) return undefined
  const shape = e.shape
  const what =
    shape.kind === 'input' || shape.kind === 'define'
      ? `${shape.kind}:${shape.name}`
      : `expr:${e.text.replace(/\s+/g, ' ').trim()}`
  return `${e.type}|${what}`
}

const FLIPPED: Readonly<Record<string, string>> = {'<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '='}

function atomOf(e: Expr): Atom | undefined {
  if (e.shape.kind !== 'compare') return undefined
  const {op, sides} = e.shape
  const constant = (s: Expr): Known | undefined => {
    if (!s.constant) return undefined
    const v: Value = s.eval({values: [], index: 0})
    return v === null ? undefined : v
  }
  if (op === 'is not null') {
    const key = keyOf(sides[0])
    return key === undefined ? undefined : {key, kind: 'known'}
  }
  if (op === 'between') {
    const [key, lo, hi] = [keyOf(sides[0]), constant(sides[1]), constant(sides[2])]
    return key === undefined || lo === undefined || hi === undefined
      ? undefined
      : {key, kind: 'range', range: {lo: {value: lo, inclusive: true}, hi: {value: hi, inclusive: true}}}
  }
  if (op === 'in') {
    const key = keyOf(sides[0])
    const values = sides.slice(1).map(constant)
    return key === undefined || values.some((v) => v === undefined)
      ? undefined
      : {key, kind: 'set', values: values as Known[]}
  }
  if (sides.length !== 2 || FLIPPED[op] === undefined) return undefined
  let [subject, written, how] = [sides[0], constant(sides[1]), op]
  if (written === undefined) [subject, written, how] = [sides[1], constant(sides[0]), FLIPPED[op]]
  const key = keyOf(subject)
  if (key === undefined || written === undefined) return undefined
  const bound = (inclusive: boolean): Bound => ({value: written, inclusive})
  const range: Interval =
    how === '='
      ? {lo: bound(true), hi: bound(true)}
      : how === '>' || how === '>='
        ? {lo: bound(how === '>=')}
        : {hi: bound(how === '<=')}
  return {key, kind: 'range', range}
}

/** The order rules compare values in (numbers and amounts, dates and text as strings). */
function order(a: Known, b: Known): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The tighter of two lower (sign 1) or upper (sign -1) bounds. */
function tighter(a: Bound | undefined, b: Bound | undefined, sign: 1 | -1): Bound | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const c = order(a.value, b.value) * sign
  return c > 0 ? a : c < 0 ? b : {value: a.value, inclusive: a.inclusive && b.inclusive}
}

function intersect(a: Interval, b: Interval): Interval {
  return {lo: tighter(a.lo, b.lo, 1), hi: tighter(a.hi, b.hi, -1)}
}

function isEmpty(r: Interval): boolean {
  if (r.lo === undefined || r.hi === undefined) return false
  const c = order(r.lo.value, r.hi.value)
  return c > 0 || (c === 0 && !(r.lo.inclusive && r.hi.inclusive))
}

/** Whether every value in `inner` is in `outer`. */
function contains(outer: Interval, inner: Interval): boolean {
  const lowOk =
    outer.lo === undefined ||
    (inner.lo !== undefined &&
      (order(inner.lo.value, outer.lo.value) > 0 ||
        (order(inner.lo.value, outer.lo.value) === 0 && (outer.lo.inclusive || !inner.lo.inclusive))))
  const highOk =
    outer.hi === undefined ||
    (inner.hi !== undefined &&
      (order(inner.hi.value, outer.hi.value) < 0 ||
        (order(inner.hi.value, outer.hi.value) === 0 && (outer.hi.inclusive || !inner.hi.inclusive))))
  return lowOk && highOk
}

function within(v: Known, r: Interval): boolean {
  return contains(r, {lo: {value: v, inclusive: true}, hi: {value: v, inclusive: true}})
}

function satisfies(v: Known, atom: Atom): boolean {
  if (atom.kind === 'known') return true
  if (atom.kind === 'set') return atom.values.includes(v)
  return within(v, atom.range)
}
