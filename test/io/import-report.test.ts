import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {importReportJson, importReportText} from '../../src/io/import-report.js'
import {emptyReport} from '../../src/services/import-run.js'

const plain = new Chalk({level: 0})

describe('the report of an import that completes an interrupted one', () => {
  const report = {...emptyReport({file: 'book.csv', dryRun: false}), read: 300_000, inserted: 150_000, unchanged: 150_000, completesBatch: {id: 7, rowsRead: 150_000}}

  it('says which batch it completes, and after how many rows that one stopped', () => {
    expect(importReportText(report, 'en', plain)).toContain('Completing batch 7 (interrupted after 150,000 rows): the rows it had written count as unchanged')
    expect(importReportText(report, 'zh', plain)).toContain('完成第 7 批（此前在 150,000 行后中断）')
  })

  it('gives the batch as completes_batch in --json (null when it completes none)', () => {
    expect(importReportJson(report).completes_batch).toBe(7)
    expect(importReportJson(emptyReport({file: 'book.csv', dryRun: false})).completes_batch).toBeNull()
  })
})
