import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, tempDir} from '../helpers/cli.js'

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/

/** Every key of a JSON value that is not snake_case, with its path; `extra` holds the user's own column names. */
function badKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => badKeys(v, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, v]) => [
    ...(SNAKE.test(key) ? [] : [`${path}.${key}`]),
    ...(key === 'extra' ? [] : badKeys(v, `${path}.${key}`)),
  ])
}

describe('one key style', () => {
  const {dir, db, cleanup} = tempDir()
  const env = {CRM_DB: db, TZ: 'Asia/Shanghai'}
  const book = join(dir, 'book.csv')
  const contacts = join(dir, 'contacts.csv')
  // classify check echoes its input's columns as keys (the user's names): this input's are the canonical ones.
  const checked = join(dir, 'check.csv')
  let run = 0
  beforeAll(() => {
    writeFileSync(
      book,
      'customer_id,name,type,branch,rm,aum,deposits,风险偏好\nC1,张三,individual,浦东支行,RM1,7000000,100,稳健\nC2,李四,individual,浦东支行,RM1,60000,,\nC3,某公司,corporate,西城支行,RM2,,,\n',
    )
    writeFileSync(checked, 'customer_id,name,type,aum\nC9,王五,individual,600000\n')
    writeFileSync(
      contacts,
      'customer_id,at,channel,direction,purpose,follow_up_on\nC1,2026-11-20 10:00,phone,out,review,2026-11-25\n',
    )
    expect(crm(['customer', 'import', book], {env}).code).toBe(0)
    expect(crm(['contact', 'import', contacts], {env}).code).toBe(0)
    run = (
      JSON.parse(crm(['classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28', '--json'], {env}).stdout) as {
        run: number
      }
    ).run
  })
  afterAll(cleanup)

  // A non-snake key here is a bug in that command's JSON: every command's output uses snake_case keys (as_of, not
  // asOf).
  const commands = (): string[][] => [
    ['customer', 'import', book, '--dry-run'],
    ['contact', 'import', contacts, '--dry-run'],
    ['customer', 'list'],
    ['customer', 'show', 'C1'],
    ['customer', 'export', '--format', 'json', '--output', join(dir, 'out.json'), '--force'],
    ['contact', 'list'],
    ['contact', 'due', '--date', '2026-11-28'],
    ['contact', 'log', '--customer', 'C2', '--channel', 'phone', '--purpose', 'service', '--at', '2026-11-21 09:00'],
    ['classify', '--scheme', 'rfm', '--branch', '浦东支行', '--where', 'aum > 0', '--dry-run'],
    ['classify', 'runs'],
    ['classify', 'show', String(run)],
    ['classify', 'explain', 'C1', '--scheme', 'retail-aum'],
    ['classify', 'check', checked, '--scheme', 'retail-aum'],
    ['scheme', 'list'],
    ['scheme', 'show', 'retail-aum'],
    ['summary', '--run', String(run), '--by', 'branch', '--top', '1'],
    ['summary', '--compare', String(run), String(run), '--movers'],
    ['db', 'info'],
    ['db', 'check'],
    ['import', 'list'],
    ['import', 'show', '1'],
    ['import', 'undo', '1', '--dry-run', '--force'],
    ['customer', 'show', 'NOPE'],
  ]

  it("is snake_case in every command's --json output", () => {
    const problems: string[] = []
    for (const args of commands()) {
      const result = crm([...args, '--json'], {env})
      let value: unknown
      try {
        value = JSON.parse(result.stdout)
      } catch {
        problems.push(
          `${args.join(' ')}: not JSON (exit ${result.code}): ${result.stdout.slice(0, 200)}${result.stderr.slice(0, 200)}`,
        )
        continue
      }
      problems.push(...badKeys(value).map((k) => `${args.join(' ')}: ${k}`))
    }
    expect(problems).toEqual([])
  })

  it('finds a camelCase key where there is one (the walker itself)', () => {
    expect(badKeys({as_of: 1, last_run: {asOf: 2}, extra: {'Cust No': 3}, rows: [{tierLabel: 4}]})).toEqual([
      '$.last_run.asOf',
      '$.rows[0].tierLabel',
    ])
  })
})
