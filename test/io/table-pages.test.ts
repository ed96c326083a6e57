import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Chalk, type ChalkInstance} from 'chalk'
import Table from 'cli-table3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {displayWidth} from '../../src/core/display-width.js'
import {visible} from '../../src/core/visible.js'
import {type Column, TABLE_PAGE, table, writeRows} from '../../src/io/row-writer.js'
import {tempDir} from '../helpers/cli.js'

type Row = readonly string[]

const columns: Column<Row>[] = [
  {header: 'ID', cell: (r) => r[0]},
  {header: 'Name', cell: (r) => r[1]},
  {header: 'Amount', cell: (r) => r[2], align: 'right'},
]

/** What the table writer wrote before: every page a cli-table3 table, later ones at the first page's widths. */
function pagesByCliTable(rows: readonly Row[], chalk: ChalkInstance): string {
  const cells = rows.map((r) => columns.map((c) => visible(c.cell(r))))
  const first = cells.slice(0, TABLE_PAGE)
  const widths = columns.map((c, i) =>
    Math.max(
      displayWidth(c.header),
      ...first.map((r) => Math.max(...r[i].split('\n').map((line) => displayWidth(line)))),
    ),
  )
  let text = `${table(rows.slice(0, TABLE_PAGE), columns, chalk)}\n`
  for (let at = TABLE_PAGE; at < cells.length; at += TABLE_PAGE) {
    const t = new Table({
      head: columns.map((c) => chalk.bold(visible(c.header))),
      colAligns: columns.map((c) => c.align ?? 'left'),
      colWidths: widths.map((w) => w + 2),
      style: {head: [], border: chalk.level > 0 ? ['grey'] : []},
      chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    })
    for (const row of cells.slice(at, at + TABLE_PAGE)) t.push(row)
    text += `${t.toString()}\n`
  }
  return text
}

async function written(rows: readonly Row[], chalk: ChalkInstance, dir: string): Promise<string> {
  const output = join(dir, `table-${Math.random()}.txt`)
  await writeRows(
    rows,
    {columns, keys: [], record: () => ({})},
    {
      format: 'table',
      chalk,
      export: {format: 'csv', encoding: 'utf-8', output, force: true, protect: []},
    },
  )
  return readFileSync(output, 'utf8')
}

// Cells of ASCII and CJK (written directly), of other characters (emoji, a middle dot, combining marks: drawn by
// cli-table3), of several lines, and longer than the first page's widths (cut with an ellipsis).
const piece = fc.constantFrom('a', 'Z', '9', ' ', '-', '王', '伟', '，', '・', '·', '😀', 'é', 'e\u0301', '\n', '…')
const cell = fc.array(piece, {maxLength: 12}).map((p) => p.join(''))
const longCell = fc.array(piece, {minLength: 15, maxLength: 40}).map((p) => p.join(''))

describe('a table of more than one page', () => {
  it('writes its later pages as cli-table3 draws them at the first page widths', async () => {
    const temp = tempDir()
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(cell, cell, cell), {minLength: 1, maxLength: 30}),
          fc.array(fc.tuple(fc.oneof(cell, longCell), fc.oneof(cell, longCell), cell), {
            minLength: 1,
            maxLength: 40,
          }),
          fc.integer({min: 0, max: 1}),
          fc.constantFrom(0, 1),
          async (head, tail, extraPages, level) => {
            // given rows filling the first page and more: later rows wider, and of other characters
            const rows: Row[] = []
            for (let i = 0; rows.length < TABLE_PAGE; i++) rows.push(head[i % head.length])
            for (let p = 0; p < extraPages; p++)
              for (let i = 0; i < TABLE_PAGE; i++) rows.push([`${i}`, 'x', tail[i % tail.length][2]])
            rows.push(...tail)
            const chalk = new Chalk({level})
            // then the table is, byte for byte, the pages cli-table3 would draw (a cut emoji's lone half as UTF-8 has it)
            expect(await written(rows, chalk, temp.dir)).toBe(Buffer.from(pagesByCliTable(rows, chalk)).toString())
          },
        ),
        {numRuns: 6, endOnFailure: true},
      )
    } finally {
      temp.cleanup()
    }
  }, 900_000)

  it('ends a last page that is full, and starts no empty one', async () => {
    const temp = tempDir()
    try {
      const rows: Row[] = Array.from({length: 2 * TABLE_PAGE}, (_, i) => [`C${i}`, '王伟', `${i}.00`])
      const text = await written(rows, new Chalk({level: 0}), temp.dir)
      expect(text).toBe(pagesByCliTable(rows, new Chalk({level: 0})))
      expect(text.match(/┌/g)).toHaveLength(2)
    } finally {
      temp.cleanup()
    }
  }, 300_000)
})
