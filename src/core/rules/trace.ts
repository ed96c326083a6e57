import {KEPT, looksPersonal, markPersonal} from '../masking.js'
import {type Expr, formatValue, type Mark, personalFieldOf, type Row, type Value} from './compile.js'

/**
 * Reasons and explanations from a compiled rule: which conditions held, with the values that decided them, and
 * which would have to change for another rule to hold.
 */

/** A side of a comparison, with its value; `marks` are those of the comparison, which hold its literals' marks. */
function side(e: Expr, row: Row, marks = e.marks): string {
  if (e.constant) return textOf(e, marks)
  return `${textOf(e, marks)} ${shown(e, e.eval(row))}`
}

/**
 * An expression's text with the literals that stand for personal data marked (phone = '13912345678' gives the
 * phone away as surely as its value does), so output masks them as it masks values.
 */
export function textOf(e: Expr, marks = e.marks): string {
  const inside = marks?.filter((m) => m.start >= e.span.start && m.end <= e.span.end).sort((a, b) => a.start - b.start)
  if (inside === undefined || inside.length === 0) return e.text
  let text = ''
  let at = 0
  for (const m of inside) {
    const from = m.start - e.span.start
    if (from < at) continue // the same literal, marked twice
    text += e.text.slice(at, from) + markedLiteral(m, e.text.slice(from, m.end - e.span.start))
    at = m.end - e.span.start
  }
  return text + e.text.slice(at)
}

function markedLiteral(m: Mark, literal: string): string {
  const quoted = literal.length >= 2 && literal.startsWith("'") && literal.endsWith("'")
  if (m.field === KEPT && !looksPersonal(quoted ? literal.slice(1, -1) : literal)) return literal
  return quoted ? `'${markPersonal(m.field, literal.slice(1, -1))}'` : markPersonal(m.field, literal)
}

/**
 * A value a reason shows. One read from personal data is marked, so that output masks it unless --reveal: a field
 * as itself (110105********0021), anything computed from one (age(birth_date)) hidden whole.
 */
function shown(e: Expr, value: Value): string {
  return shownValue(value, e.type, personalFieldOf(e))
}

/** shown's text of a value of a type, read from `field` (personalFieldOf): the SQL engine calls it for such values. */
export function shownValue(value: Value, type: Expr['type'], personal: string | undefined): string {
  const text = formatValue(value, type)
  const field = value === null ? undefined : personal
  // A kept value is masked only when it looks personal: the others are left unmarked, as output would show them.
  if (field === undefined || (field === KEPT && !looksPersonal(String(value)))) return text
  const quoted = text.startsWith("'") && text.endsWith("'") && text.length >= 2
  return quoted ? `'${markPersonal(field, text.slice(1, -1))}'` : markPersonal(field, text)
}

function leaf(e: Expr, row: Row): string {
  const shape = e.shape
  if (shape.kind !== 'compare') return textOf(e)
  const [first, ...rest] = shape.sides
  const m = e.marks
  switch (shape.op) {
    case 'in':
    case 'not in':
      return `${side(first, row, m)} ${shape.op} (${rest.map((r) => textOf(r, m)).join(', ')})`
    case 'between':
    case 'not between':
      return `${side(first, row, m)} ${shape.op} ${side(rest[0], row, m)} and ${side(rest[1], row, m)}`
    case 'is null':
    case 'is not null':
      return textOf(e)
    default:
      return `${side(first, row, m)} ${shape.op} ${side(rest[0], row, m)}`
  }
}

/** The conditions of a rule that held for a row (the rule as a whole holds), each with its values. */
export function held(e: Expr, row: Row): string[] {
  const shape = e.shape
  switch (shape.kind) {
    case 'and':
      return shape.parts.flatMap((p) => held(p, row))
    case 'or': {
      const part = shape.parts.find((p) => p.eval(row) === true)
      return part ? held(part, row) : [textOf(e)]
    }
    case 'define':
      return held(shape.target, row).map((text) => `${shape.name}: ${text}`)
    case 'not':
      return [`not (${textOf(shape.part)})`]
    case 'case': {
      const i = branchOf(shape, row)
      const result = i < 0 ? shape.otherwise : shape.whens[i].then
      const why =
        i < 0
          ? [`no when held: ${shape.whens.map((w) => leaf(w.when, row)).join('; ')}`]
          : held(shape.whens[i].when, row)
      return result === null || result.constant ? why : [...why, ...held(result, row)]
    }
    default:
      return [leaf(e, row)]
  }
}

/** Which when of a case holds for a row (-1: none, the else). */
function branchOf(shape: Extract<Expr['shape'], {kind: 'case'}>, row: Row): number {
  return shape.whens.findIndex((w) => w.when.eval(row) === true)
}

/**
 * The conditions of a rule that do not hold for a row, as what would have to change (the fewest, through an or): `to`
 * phrases each as a change ("aum would have to be >= 50万 (now …)"), `if` as the condition ("overdue_days > 90 (now
 * 30)").
 */
export function missing(e: Expr, row: Row, phrase: 'to' | 'if' = 'to'): string[] {
  if (e.eval(row) === true) return []
  const shape = e.shape
  switch (shape.kind) {
    case 'and':
      return shape.parts.flatMap((p) => missing(p, row, phrase))
    case 'or':
      return fewest(shape.parts.map((p) => missing(p, row, phrase)))
    case 'define':
      return missing(shape.target, row, phrase)
    case 'case': {
      const i = branchOf(shape, row)
      const result = i < 0 ? shape.otherwise : shape.whens[i].then
      if (result === null || result.constant)
        return [phrase === 'to' ? `${leaf(e, row)} would have to hold` : leaf(e, row)]
      return missing(result, row, phrase)
    }
    case 'not':
      return phrase === 'to' ? [`${textOf(shape.part)} would have to be false`] : [`not (${textOf(shape.part)})`]
    case 'compare':
      return [change(e, shape.op, row, phrase)]
    default:
      return [phrase === 'to' ? `${textOf(e)} would have to hold` : textOf(e)]
  }
}

const OPPOSITE: Readonly<Record<string, string>> = {
  '=': '!=',
  '!=': '=',
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  in: 'not in',
  'not in': 'in',
  between: 'not between',
  'not between': 'between',
  'is null': 'is not null',
  'is not null': 'is null',
}

/**
 * The conditions of a rule that holds for a row that would have to stop holding (every part of an or, one of an and).
 */
export function broken(e: Expr, row: Row): string[] {
  if (e.eval(row) !== true) return []
  const shape = e.shape
  switch (shape.kind) {
    case 'and':
      return fewest(shape.parts.map((p) => broken(p, row)))
    case 'or':
      return shape.parts.flatMap((p) => broken(p, row))
    case 'define':
      return broken(shape.target, row)
    case 'case': {
      const i = branchOf(shape, row)
      const result = i < 0 ? shape.otherwise : shape.whens[i].then
      return result === null || result.constant ? [`${leaf(e, row)} would have to be false`] : broken(result, row)
    }
    case 'not':
      return missing(shape.part, row)
    case 'compare':
      return [change(e, OPPOSITE[shape.op], row, 'to')]
    default:
      return [`${textOf(e)} would have to be false`]
  }
}

function fewest(options: string[][]): string[] {
  return options.reduce((best, o) => (o.length < best.length ? o : best))
}

/**
 * A comparison as the change that would make `op` hold: a field or name against written values, or the whole
 * comparison.
 */
function change(e: Expr, op: string, row: Row, phrase: 'to' | 'if'): string {
  const shape = e.shape as Extract<Expr['shape'], {kind: 'compare'}>
  const [a, b] = shape.sides
  const m = e.marks
  const named =
    !a.constant &&
    (a.shape.kind === 'input' || a.shape.kind === 'define') &&
    shape.sides.slice(1).every((s) => s.constant)
  if (!named)
    return phrase === 'to' ? `${leaf(e, row)} would have to ${op === shape.op ? 'hold' : 'be false'}` : leaf(e, row)
  const now = `(now ${shown(a, a.eval(row))})`
  if (op.includes('null'))
    return phrase === 'to'
      ? `${textOf(a, m)} would have to be ${op === 'is null' ? 'unknown' : 'known'} ${now}`
      : `${textOf(a, m)} ${op} ${now}`
  const rest = shape.sides.slice(1).map((s) => textOf(s, m))
  const target = op.includes('between')
    ? `${rest[0]} and ${rest[1]}`
    : op.includes('in')
      ? `(${rest.join(', ')})`
      : textOf(b, m)
  return `${textOf(a, m)} ${phrase === 'to' ? 'would have to be ' : ''}${op} ${target} ${now}`
}

/** One term of a score: the condition it counts (with its values), whether that holds, and the points it gives. */
export interface ScoreTerm {
  readonly condition: string
  readonly holds: boolean | null
  readonly points: string
}

/** A score a rule compares (score >= 6, where score adds if(condition, points, 0) terms), term by term. */
export interface Score {
  readonly name: string
  readonly value: string
  readonly terms: readonly ScoreTerm[]
}

/**
 * The scores a rule compares, each with its terms: a name (or expression) that adds up conditions, through if(c, a, b)
 * or a condition used as a number. A comparison of anything else gives none.
 */
export function scores(e: Expr, row: Row): Score[] {
  const shape = e.shape
  switch (shape.kind) {
    case 'and':
    case 'or':
      return shape.parts.flatMap((p) => scores(p, row))
    case 'not':
      return scores(shape.part, row)
    case 'define':
      return shape.target.type === 'bool' ? scores(shape.target, row) : []
    case 'compare':
      return shape.sides.flatMap((side) => {
        const terms = scoreTerms(side, row)
        return terms === null ? [] : [{name: textOf(side), value: shown(side, side.eval(row)), terms}]
      })
    default:
      return []
  }
}

function scoreTerms(e: Expr, row: Row): ScoreTerm[] | null {
  const body = e.shape.kind === 'define' ? e.shape.target : e
  const terms: ScoreTerm[] = []
  const term = (condition: Expr, points: (holds: boolean | null) => string): void => {
    const holds = condition.eval(row) as boolean | null
    // Points follow from whether the condition holds (shown, as a held rule is), not from a personal value itself.
    terms.push({condition: stated(condition, row), holds, points: points(holds)})
  }
  const add = (x: Expr): void => {
    const s = x.shape
    if (s.kind === 'value' && s.op === '+' && s.parts) s.parts.forEach(add)
    // count_true(a, b, c): each condition is worth 1, an unknown one 0 (it is not known to hold).
    else if (s.kind === 'value' && s.op === 'count_true' && s.parts)
      for (const c of s.parts) term(c, (holds) => (holds === true ? '1' : '0'))
    else {
      const condition = conditionOf(x)
      if (condition !== undefined) term(condition, () => formatValue(x.eval(row), x.type))
      else if (x.type === 'bool') term(x, (holds) => (holds === null ? 'null' : holds ? '1' : '0'))
      else if (!x.constant) terms.push({condition: side(x, row), holds: null, points: shown(x, x.eval(row))})
    }
  }
  add(body)
  // A score counts conditions: a sum of values alone (aum + deposits) is not one.
  return terms.some((t) => t.holds !== null) ? terms : null
}

/**
 * The condition a score term counts: if(c, n, m), a condition used as a number ((aum > 100) is 1 or 0), or one
 * times a written number ((inactive)*3, 3*(inactive)).
 */
function conditionOf(x: Expr): Expr | undefined {
  const s = x.shape
  if (s.kind !== 'value' || s.parts === undefined) return undefined
  if (s.op === 'if' || s.op === 'number') return s.parts[0]
  if (s.op !== '*') return undefined
  const [a, b] = s.parts
  const inner = a.constant ? b : b.constant ? a : undefined
  return inner?.shape.kind === 'value' && inner.shape.op === 'number' ? inner.shape.parts?.[0] : undefined
}

/** A condition with the values it reads, whether or not it holds: `young: age 45 < 30`. */
function stated(e: Expr, row: Row): string {
  const shape = e.shape
  switch (shape.kind) {
    case 'define':
      return `${shape.name}: ${stated(shape.target, row)}`
    case 'and':
    case 'or':
      return shape.parts.map((p) => stated(p, row)).join(` ${shape.kind} `)
    case 'not':
      return `not (${stated(shape.part, row)})`
    default:
      return leaf(e, row)
  }
}

/** The sides of comparisons that rules read, once each: what valuesRead shows. */
export function sidesRead(rules: readonly Expr[]): readonly Expr[] {
  const seen = new Map<string, Expr>()
  const visit = (e: Expr): void => {
    const shape = e.shape
    if (shape.kind === 'and' || shape.kind === 'or') shape.parts.forEach(visit)
    else if (shape.kind === 'not') visit(shape.part)
    else if (shape.kind === 'case')
      [...shape.whens.flatMap((w) => [w.when, w.then]), shape.otherwise].forEach((part) => {
        if (part?.type === 'bool') visit(part)
      })
    else if (shape.kind === 'define') shape.target.type === 'bool' ? visit(shape.target) : seen.set(e.text, e)
    else if (shape.kind === 'compare') for (const s of shape.sides) if (!s.constant) seen.set(s.text, s)
  }
  rules.forEach(visit)
  return [...seen.values()]
}

/** The values that `sides` (sidesRead) read for a row: the reason a default tier gives. */
export function valuesRead(sides: readonly Expr[], row: Row): string[] {
  return sides.map((s) => side(s, row))
}
