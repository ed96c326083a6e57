import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../helpers/cli.js'

// scripts/bundle.js has oclif sort each plugin's commands by code unit instead of localeCompare, whose first call
// loads ICU's collation at every start-up: the two orders must be the same for every command crm has.
const manifests = [
  join(ROOT, 'oclif.manifest.json'),
  join(ROOT, 'node_modules', '@oclif', 'plugin-help', 'oclif.manifest.json'),
  join(ROOT, 'node_modules', '@oclif', 'plugin-autocomplete', 'oclif.manifest.json'),
]

describe("the commands' order", () => {
  it.each(manifests)('is the same by code unit as by localeCompare (%s)', (file) => {
    const ids = Object.keys((JSON.parse(readFileSync(file, 'utf8')) as {commands: object}).commands)
    expect(ids.length).toBeGreaterThan(0)
    const byCodeUnit = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    expect(byCodeUnit).toEqual([...ids].sort((a, b) => a.localeCompare(b)))
  })
})
