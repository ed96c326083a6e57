import {expect, it} from 'vitest'
import {dbTarget} from '../../src/db/target.js'

it('reads a file as SQLite, and a postgres:// URL with its schema from ?schema=, else $CRM_PG_SCHEMA, else public', () => {
  expect(dbTarget('crm.db')).toEqual({kind: 'sqlite', file: 'crm.db'})
  expect(dbTarget('postgres://u:secret@h:5432/bank?schema=branch_a', {})).toMatchObject({
    kind: 'postgres',
    schema: 'branch_a',
    url: 'postgres://u:secret@h:5432/bank',
    shown: 'postgres://u:***@h:5432/bank?schema=branch_a',
  })
  expect(dbTarget('postgresql://h/bank', {CRM_PG_SCHEMA: 'ops'})).toMatchObject({schema: 'ops'})
  expect(dbTarget('postgres://h/bank', {})).toMatchObject({schema: 'public'})
})

it('refuses a schema that is not a plain lowercase name, and a URL that is not one', () => {
  expect(() => dbTarget('postgres://h/bank?schema=x";drop', {})).toThrow(/not one crm can use/)
  expect(() => dbTarget('postgres://h/bank', {CRM_PG_SCHEMA: 'Upper'})).toThrow(/not one crm can use/)
  expect(() => dbTarget('postgres://[bad', {})).toThrow(/not a PostgreSQL URL/)
})

it('never shows a password, not even in a URL it cannot read', () => {
  expect(() => dbTarget('postgres://u:hunter2@[bad/x', {})).toThrow(/postgres:\/\/u:\*\*\*@\[bad/)
  expect(() => dbTarget('postgres://u:hunter2@[bad/x', {})).not.toThrow(/hunter2/)
})

it("masks a password however it is given, and refuses PostgreSQL's own schemas and a schema named twice", () => {
  for (const url of ['postgres://u:se/cret@h:99999/test', 'postgres://u:p@ss@h:99999/test'])
    expect(() => dbTarget(url, {})).toThrow(/^--db "postgres:\/\/u:\*\*\*@h:99999\/test"/)
  const given = dbTarget('postgres://u@h/t?schema=a&password=HUNTER2&sslpassword=k', {})
  expect(JSON.stringify(given.kind === 'postgres' && given.shown)).not.toMatch(/HUNTER2|=k/)
  expect(given).toMatchObject({url: 'postgres://u:HUNTER2@h/t?sslpassword=k'})
  for (const schema of ['pg_catalog', 'pg_temp', 'information_schema'])
    expect(() => dbTarget(`postgres://h/t?schema=${schema}`, {})).toThrow(/not one crm can use/)
  expect(() => dbTarget('postgres://h/t?schema=a&schema=b', {})).toThrow(/names the schema twice/)
})
