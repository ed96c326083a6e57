import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {customerRow, EN_HEADERS, rng} from '../../bench/generate.js'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'

// classify check with portfolio measures (quintiles, cumulative shares, ranks, a mean) gives, byte for byte, what it
// gave when it held every row in memory: the digests below were taken from that version (main at 9802275) on these
// inputs (the two JSON ones again once the counts after the rows gained unseen_values and flat_measures; the rows
// compared equal).

const AS_OF = '2026-11-28'
const ROWS = 3000
const temp = tempDir()
afterAll(temp.cleanup)
const book = join(temp.dir, 'book.csv')
const noIds = join(temp.dir, 'no-ids.csv')
const mixed = join(temp.dir, 'mixed.yaml')

const cell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

beforeAll(() => {
  const random = rng(11)
  const rows = Array.from({length: ROWS}, (_, i) => customerRow(i, random))
  // Ties and gaps the measures must order alike: ids given twice, empty dates and counts, invalid rows, shared values.
  rows.forEach((r, i) => {
    if (i % 97 === 96) r[0] = rows[i - 50][0]
    if (i % 131 === 7) r[17] = ''
    if (i % 211 === 5) r[18] = ''
    if (i % 173 === 9) r[4] = `${r[4].slice(0, -1)}${r[4].endsWith('1') ? '2' : '1'}`
    if (i % 41 === 3) r[11] = '250000.00'
    if (i % 53 === 4) r[1] = '王伟'
  })
  writeFileSync(book, `${[EN_HEADERS, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`)
  writeFileSync(noIds, `${[EN_HEADERS, ...rows].map((r) => r.slice(1).map(cell).join(',')).join('\n')}\n`)
  writeFileSync(
    mixed,
    `name: mixed
version: 1
applies_to: type = 'individual' or aum > 100000
define:
  n: percent_rank(name)
  o: ntile(7, opened_on)
  s: cume_share(contribution)
  m: mean(aum)
tiers:
  - id: top
    rule: s <= 0.5 and aum >= m
  - id: named
    rule: n >= 0.5 and o >= 4
  - id: rest
`,
  )
})

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

/** `node slow-writer.mjs FILE | crm ARGS`: a real pipe, fed in small pieces with pauses. */
function piped(file: string, args: readonly string[]): {code: number; stdout: string} {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's ${@:5}
  const script = '"$1" "$2" "$3" | "$1" "$4" "${@:5}"'
  const result = spawnSync(
    'bash',
    ['-c', script, 'bash', process.execPath, join(ROOT, 'test/helpers/slow-writer.mjs'), file, BIN, ...args],
    {cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: {...process.env, NO_COLOR: '1'}},
  )
  return {code: result.status ?? -1, stdout: result.stdout}
}

describe('classify check with a portfolio scheme', () => {
  it.each([
    ['rfm', 'book', 'csv', '5886e3c25221d80c'],
    ['rfm', 'book', 'ndjson', '92914ced56e7ee36'],
    ['rfm', 'book', 'json', '4a1da10b97e9f5e3'],
    ['rfm', 'no-ids', 'tsv', '15d4bdef565e1bac'],
    ['abc', 'book', 'csv', '742fca6659cdfd4e'],
    ['abc', 'no-ids', 'json', '4b02211a0c2efbe0'],
    ['mixed', 'book', 'csv', '62e318d82f74a4c5'],
    ['mixed', 'no-ids', 'ndjson', '587f4a77394e2a33'],
  ])('gives the same %s rows of %s as %s as before', (scheme, input, format, expected) => {
    const args = [
      'classify',
      'check',
      input === 'book' ? book : noIds,
      '--scheme',
      scheme === 'mixed' ? mixed : scheme,
      '--as-of',
      AS_OF,
      ...(format === 'json' ? ['--json'] : ['--format', format]),
    ]
    const result = crm(args)
    expect(result.code).toBe(3) // the rows with a wrong check digit
    expect(result.stdout.split('\n').length).toBeGreaterThan(ROWS)
    expect(digest(result.stdout)).toBe(expected)
  })

  it('gives the same rows from a slow pipe as from the file', () => {
    const args = ['classify', 'check', '--scheme', 'rfm', '--as-of', AS_OF, '--format', 'csv']
    const fromPipe = piped(book, args)
    expect(fromPipe.code).toBe(3)
    expect(fromPipe.stdout).toBe(crm([...args, book]).stdout)
  })
})
