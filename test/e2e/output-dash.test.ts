import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {crm, tempDir} from '../helpers/cli.js'

describe('--output -', () => {
  const {dir, db, cleanup} = tempDir()
  afterAll(cleanup)

  it('is a usage error, not a file named -, for every command that exports', () => {
    expect(crm(['customer', 'import', 'data/customers.csv', '--db', db]).code).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum', '--db', db]).code).toBe(0)
    for (const args of [
      ['customer', 'export'],
      ['contact', 'export'],
      ['classify', 'show', '1'],
    ]) {
      const result = crm([...args, '--output', '-', '--db', db], {cwd: dir})
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('leave out --output')
      expect(existsSync(join(dir, '-'))).toBe(false)
    }
  })
})
