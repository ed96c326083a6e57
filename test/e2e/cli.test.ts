import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {crm, ROOT} from '../helpers/cli.js'

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {summary?: string; examples?: string[]}>
}

describe('the crm command line', () => {
  it('prints its version', () => {
    const result = crm(['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^crm\/\d+\.\d+\.\d+ /)
  })

  it('gives every command a summary and at least one example (the manifest is current)', () => {
    const ours = Object.entries(manifest.commands).filter(([id]) => !id.startsWith('autocomplete'))
    expect(ours.map(([id]) => id).sort()).toEqual(
      expect.arrayContaining(['customer:import', 'customer:list', 'customer:show']),
    )
    for (const [id, command] of ours) {
      expect(command.summary, id).toBeTruthy()
      expect(command.examples?.length, id).toBeGreaterThan(0)
    }
  })

  it('shows help with examples', () => {
    const result = crm(['customer', 'import', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('EXAMPLES')
    expect(result.stdout).toContain('--mapping data/mappings/churn-modelling.json')
  })

  it('describes each topic in the root help, not with one of its commands', () => {
    const result = crm(['--help'])
    expect(result.code).toBe(0)
    const topics = result.stdout.split('TOPICS')[1].split('COMMANDS')[0]
    expect(topics).toMatch(/^\s+db\s+Inspect, back up and check the database file\./m)
    expect(topics).toMatch(/^\s+scheme\s+List, show and validate classification schemes\./m)
    expect(topics).toMatch(/^\s+classify\s+Classify portfolios into tiers; check rows;/m)
    expect(topics).not.toContain('Copy the database to FILE')
    expect(topics).not.toContain('List the built-in classification schemes')
  })

  it('suggests the closest command for a typo and exits 2', () => {
    const result = crm(['customer', 'imprt'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Did you mean: crm customer import?')
  })

  it('treats an unknown flag as a usage error (exit 2) without a stack trace', () => {
    const result = crm(['customer', 'list', '--bogus'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Nonexistent flag: --bogus')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('offers shell completion', () => {
    expect(crm(['autocomplete', 'bash']).stdout).toContain('crm')
  })

  it('refuses a database file that is not SQLite with exit 3 and a hint', () => {
    const result = crm(['customer', 'list', '--db', join(ROOT, 'package.json')])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('cannot open the database')
  })
})
