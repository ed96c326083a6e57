import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {importReportJson, importReportText} from '../../src/io/import-report.js'
import {emptyReport} from '../../src/services/import-run.js'

const plain = new Chalk({level: 0})

describe('the report of an import that completes an interrupted one', () => {
  const report = {
    ...emptyReport({file: 'book.csv', dryRun: false}),
    read: 300_000,
    inserted: 150_000,
    unchanged: 150_000,
    completesBatch: {id: 7, rowsRead: 150_000},
  }

  it('says which batch it completes, and after how many rows that one stopped', () => {
    expect(importReportText(report, 'en', plain)).toContain(
      'Completing batch 7 (interrupted after 150,000 rows): the rows it had written count as unchanged',
    )
    expect(importReportText(report, 'zh', plain)).toContain('完成第 7 批（此前在 150,000 行后中断）')
  })

  it('gives the batch as completes_batch in --json (null when it completes none)', () => {
    expect(importReportJson(report).completes_batch).toBe(7)
    expect(importReportJson(emptyReport({file: 'book.csv', dryRun: false})).completes_batch).toBeNull()
  })
})

describe('the report of an import that changed nothing', () => {
  const again = {
    ...emptyReport({file: 'book.csv', dryRun: false}),
    read: 6,
    unchanged: 6,
    committed: true,
    sameFileAsBatch: 6,
  }

  it('says every row matches, and names the batch that first imported the file', () => {
    expect(importReportText(again, 'en', plain)).toContain(
      'Nothing changed: every row matches the database (this file was first imported as batch 6).',
    )
    expect(importReportText(again, 'zh', plain)).toContain(
      '没有任何改动：每一行都与数据库一致（此文件最早作为第 6 批导入）。',
    )
  })

  it('does not say every row matches when rows were rejected', () => {
    const rejected = {...again, unchanged: 3, rejected: 3}
    const text = importReportText(rejected, 'en', plain)
    expect(text).toContain(
      'Nothing changed: the 3 accepted rows match the database, and 3 were rejected (this file was first imported as batch 6).',
    )
    expect(text).not.toContain('every row')
    expect(importReportText({...rejected, unchanged: 1, rejected: 1}, 'en', plain)).toContain(
      'the 1 accepted row matches the database, and 1 was rejected',
    )
    expect(importReportText(rejected, 'zh', plain)).toContain(
      '没有任何改动：通过检查的 3 行都与数据库一致，另有 3 行被拒绝（此文件最早作为第 6 批导入）。',
    )
  })
})

describe('the aum sums of an import that accepted no row with an aum', () => {
  it('shows them as unknown (—), as --json gives null, not as 0.00', () => {
    const report = {
      ...emptyReport({file: 'book.ndjson', dryRun: false}),
      read: 2,
      rejected: 2,
      aumRead: 0n,
      aumStored: 0n,
      aumCount: 0,
    }
    expect(importReportJson(report).aum_read).toBeNull()
    const text = importReportText(report, 'en', plain)
    expect(text).toContain('aum read — = stored —')
    expect(text).not.toContain('0.00')
  })
})
