#!/usr/bin/env node
// The demo behind `npm start`: the main job on the sample book, in a database of its own (.demo/crm.db),
// never the user's. It needs dist/ (npm install builds it).
import {spawnSync} from 'node:child_process'
import {mkdirSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {addDays, localDateTime} from '../dist/core/dates.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const db = join(root, '.demo', 'crm.db')
rmSync(join(root, '.demo'), {recursive: true, force: true})
mkdirSync(join(root, '.demo'))

function crm(...args) {
  process.stdout.write(`\n$ crm ${args.join(' ')}\n`)
  const result = spawnSync(process.execPath, [join(root, 'bin/run.js'), ...args, '--db', db], {
    stdio: 'inherit',
    cwd: root,
  })
  if (result.status !== 0 && result.status !== 3) process.exit(result.status ?? 1)
}

crm('customer', 'import', 'data/customers.csv')
crm('customer', 'import', 'data/customers-gbk.csv', '--rejects', '.demo/customers-gbk.rejects.csv')
crm('customer', 'import', 'data/customers.csv')
crm('contact', 'import', 'data/contacts.csv')
// A follow-up a week from today (local time), as a person would set one.
const followUp = addDays(localDateTime(new Date()).slice(0, 10), 7)
crm(
  'contact',
  'log',
  '--customer',
  'C100000001',
  '--channel',
  '电话',
  '--purpose',
  '回访',
  '--note',
  '演示：电话回访，客户满意',
  '--follow-up',
  followUp,
)
crm('classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28')
crm('classify', '--scheme', 'rfm', '--as-of', '2026-11-28', '--lang', 'zh')
crm('summary', '--scheme', 'retail-aum', '--lang', 'zh', '--format', 'table')
crm('summary', '--scheme', 'rfm', '--format', 'table')
crm('summary', '--scheme', 'retail-aum', '--by', 'type', '--top', '2', '--format', 'table')
crm('customer', 'list', '--branch', '上海分行浦东支行', '--limit', '8', '--format', 'table')
crm('contact', 'due', '--date', '2026-11-28', '--rm', 'RM0028')
crm('customer', 'show', 'C100000001', '--lang', 'zh')
crm('classify', 'explain', 'C100000001')
process.stdout.write(`\nThe demo database is ${db}; try: node bin/run.js customer list --db ${db} --search 王\n`)
