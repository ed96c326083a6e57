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
function textOf(e: Expr, marks = e.marks): string {
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
  const text = formatValue(value, e.type)
  const field = value === null ? undefined : personalFieldOf(e)
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
    case 'not in': return `${side(first, row, m)} ${shape.op} (${rest.map((r) => textOf(r, m)).join(', ')})`
    case 'between':
    case 'not between': return `${side(first, row, m)} ${shape.op} ${side(rest[0], row, m)} and ${side(rest[1], row, m)}`
    case 'is null':
    case 'is not null': return textOf(e)
    default: return `${side(first, row, m)} ${shape.op} ${side(rest[0], row, m)}`
  }
}

/** The conditions of a rule that held for a row (the rule as a whole holds), each with its values. */
export function held(e: Expr, row: Row): string[] {
  const shape = e.shape
  switch (shape.kind) {
    case 'and': return shape.parts.flatMap((p) => held(p, row))
    case 'or': {
      const part = shape.parts.find((p) => p.eval(row) === true)
      return part ? held(part, row) : [textOf(e)]
    }
    case 'define': return held(shape.target, row).map((text) => `${shape.name}: ${text}`)
    case 'not': return [`not (${textOf(shape.part)})`]
    default: return [leaf(e, row)]
  }
}

/** The conditions of a rule that do not hold for a row, as what would have to change (the fewest, through an or). */
export function missing(e: Expr, row: Row): string[] {
  if (e.eval(row) === true) return []
  const shape = e.shape
  switch (shape.kind) {
    case 'and': return shape.parts.flatMap((p) => missing(p, row))
    case 'or': {
      const options = shape.parts.map((p) => missing(p, row))
      return options.reduce((best, o) => (o.length < best.length ? o : best))
    }
    case 'define': return missing(shape.target, row)
    case 'not': return [`${textOf(shape.part)} would have to be false`]
    case 'compare': {
      const [a, b] = shape.sides
      if (shape.sides.length === 2 && !a.constant && b.constant && (a.shape.kind === 'input' || a.shape.kind === 'define') && !shape.op.includes('null')) {
        const now = a.eval(row)
        const m = e.marks
        return [`${textOf(a, m)} would have to be ${shape.op} ${shape.op.includes('in') ? `(${shape.sides.slice(1).map((s) => textOf(s, m)).join(', ')})` : textOf(b, m)} (now ${shown(a, now)})`]
      }
      return [`${leaf(e, row)} would have to hold`]
    }
    default: return [`${textOf(e)} would have to hold`]
  }
}

const SIDES = new WeakMap<readonly Expr[], Expr[]>()

/** The values a rule reads for a row, once each: the reason a default tier gives. */
export function valuesRead(rules: readonly Expr[], row: Row): string[] {
  let sides = SIDES.get(rules)
  if (sides === undefined) {
    const seen = new Map<string, Expr>()
    const visit = (e: Expr): void => {
      const shape = e.shape
      if (shape.kind === 'and' || shape.kind === 'or') shape.parts.forEach(visit)
      else if (shape.kind === 'not') visit(shape.part)
      else if (shape.kind === 'define') (shape.target.type === 'bool' ? visit(shape.target) : seen.set(e.text, e))
      else if (shape.kind === 'compare') for (const s of shape.sides) if (!s.constant) seen.set(s.text, s)
    }
    rules.forEach(visit)
    SIDES.set(rules, (sides = [...seen.values()]))
  }
  return sides.map((s) => side(s, row))
}
