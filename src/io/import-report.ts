import type {ChalkInstance} from 'chalk'
import {cutList} from '../core/cut-text.js'
import {formatFen} from '../core/money.js'
import type {ImportReport} from '../core/import-report.js'
import {visible} from '../core/visible.js'
import type {Lang} from './terminal.js'
import {localize} from '../core/messages.js'

const n = (value: number) => value.toLocaleString('en-US')
const ENCODING_LABEL: Record<string, string> = {'utf-8': 'UTF-8', gb18030: 'GBK/GB18030', 'utf-16le': 'UTF-16', latin1: 'Latin-1', 'windows-1252': 'Windows-1252'}
const DELIMITER_LABEL: Record<string, {en: string; zh: string}> = {
  ',': {en: 'comma-separated', zh: '逗号分隔'}, '\t': {en: 'tab-separated', zh: '制表符分隔'},
  ';': {en: 'semicolon-separated', zh: '分号分隔'}, '|': {en: 'pipe-separated', zh: '竖线分隔'},
}

/** The JSON shape of an import (the --json contract): snake_case keys, money as strings with two decimals. */
export function importReportJson(r: ImportReport): Record<string, unknown> {
  return {
    entity: r.entity, file: r.file, format: r.format, encoding: r.encoding, delimiter: r.delimiter || null,
    read: r.read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, duplicates: r.duplicates,
    warnings: r.warnings,
    // No accepted row with an aum: the sums are unknown, not 0.00.
    aum_read: r.aumRead === null || r.aumCount === 0 ? null : formatFen(r.aumRead), aum_stored: r.aumStored === null || r.aumCount === 0 ? null : formatFen(r.aumStored),
    aum_count: r.aumCount,
    unknown_columns: r.unknownColumns, rejects_file: r.rejectsFile, reject_examples: r.rejectExamples,
    duplicate_examples: r.duplicateExamples.map((d) => ({customer_id: d.customerId, line: d.line, kept_line: d.keptLine})),
    warning_examples: r.warningExamples,
    ...(r.closedFollowUps === undefined ? {} : {closed_follow_ups: r.closedFollowUps}),
    batch_id: r.batchId, dry_run: r.dryRun, committed: r.committed, same_file_as_batch: r.sameFileAsBatch,
    completes_batch: r.completesBatch?.id ?? null, seconds: r.seconds,
  }
}

/** The import summary for people, in English or Chinese. */
export function importReportText(r: ImportReport, lang: Lang, c: ChalkInstance): string {
  const zh = lang === 'zh'
  const lines: string[] = []
  const kind = r.format === 'csv' ? (DELIMITER_LABEL[r.delimiter]?.[lang] ?? r.delimiter) : r.format.toUpperCase()
  const encoding = ENCODING_LABEL[r.encoding] ?? r.encoding
  lines.push(zh
    ? `${r.dryRun ? '试运行 ' : ''}读取 ${r.file}（${encoding}，${kind}）${n(r.read)} 行，用时 ${r.seconds.toFixed(1)} 秒`
    : `${r.dryRun ? 'Dry run: ' : ''}Read ${counted(r.read, 'row')} from ${r.file} (${encoding}, ${kind}) in ${r.seconds.toFixed(1)}s`)
  if (r.completesBatch !== null) {
    const {id, rowsRead} = r.completesBatch
    lines.push(zh
      ? `完成第 ${id} 批（此前在 ${n(rowsRead)} 行后中断）：它已写入的行计为未变`
      : `Completing batch ${id} (interrupted after ${counted(rowsRead, 'row')}): the rows it had written count as unchanged`)
  }
  const parts = zh
    ? [`新增 ${n(r.inserted)}`, `更新 ${n(r.updated)}`, `未变 ${n(r.unchanged)}`, `重复 ${n(r.duplicates)}`, c.bold(`拒绝 ${n(r.rejected)}`)]
    : [`inserted ${n(r.inserted)}`, `updated ${n(r.updated)}`, `unchanged ${n(r.unchanged)}`, `duplicate ${n(r.duplicates)}`, `rejected ${n(r.rejected)}`]
  if (r.rejected > 0) parts[4] = c.red(parts[4])
  lines.push(`  ${parts.join(' · ')}`)
  const sum = r.inserted + r.updated + r.unchanged + r.duplicates + r.rejected
  const balanced = sum === r.read
  lines.push(`  ${zh ? '核对' : 'check'} ${n(r.read)} ${balanced ? '=' : c.red('≠')} ${[r.inserted, r.updated, r.unchanged, r.duplicates, r.rejected].map(n).join(' + ')}`)
  const accepted = r.inserted + r.updated + r.unchanged
  if (r.aumCount === 0 && accepted > 0) lines.push(zh ? '  金融资产 未知（没有一行有金融资产）' : '  aum unknown (no row has an aum)')
  else if (r.aumRead !== null) {
    const covers = r.aumCount !== null && r.aumCount < accepted ? (zh ? `（${n(accepted)} 行中 ${n(r.aumCount)} 行有金融资产）` : ` (${n(r.aumCount)} of ${n(accepted)} rows have an aum)`) : ''
    const read = formatFen(r.aumRead, {separators: true})
    if (r.aumStored === null) lines.push(zh ? `  金融资产读取 ${read}${covers}` : `  aum read ${read}${covers}`)
    else {
      const stored = formatFen(r.aumStored, {separators: true})
      const same = r.aumRead === r.aumStored
      lines.push(zh ? `  金融资产 读取 ${read} ${same ? '=' : c.red('≠')} 入库 ${stored}${covers}` : `  aum read ${read} ${same ? '=' : c.red('≠')} stored ${stored}${covers}`)
    }
  }
  if (r.unknownColumns.length > 0) {
    if (r.entity === 'customer') lines.push(visible(zh ? `未识别的列已随客户保存：${cutList(r.unknownColumns, '、', (count) => `…等 ${count} 列`)}` : `Unknown columns kept with each customer: ${cutList(r.unknownColumns)}`))
    else lines.push(visible(zh ? `未使用的列：${cutList(r.unknownColumns, '、', (count) => `…等 ${count} 列`)}` : `Columns not used: ${cutList(r.unknownColumns)}`))
  }
  if (r.closedFollowUps) lines.push(zh ? `关闭了 ${n(r.closedFollowUps)} 个已得到回应的跟进` : `Closed ${counted(r.closedFollowUps, 'open follow-up')} that these contacts answer`)
  for (const d of r.duplicateExamples) {
    const earlier = d.line === 0 ? (zh ? '更早的一行' : 'an earlier row') : zh ? `第 ${n(d.line)} 行` : `line ${n(d.line)}`
    const what = r.entity === 'customer' ? `customer_id ${d.customerId}` : zh ? `客户 ${d.customerId} 的同一联系` : `the same contact with ${d.customerId}`
    lines.push(visible(zh ? `${what} 重复：${earlier}被第 ${n(d.keptLine)} 行取代（以后出现的为准）` : `${what} appears again: ${earlier} is replaced by line ${n(d.keptLine)} (the later row wins)`))
  }
  if (r.duplicates > r.duplicateExamples.length) lines.push(zh ? `  …共 ${n(r.duplicates)} 行重复` : `  … ${counted(r.duplicates, 'duplicate row')} in all`)
  if (r.rejected > 0) {
    const where = r.rejectsFile ? (zh ? `已写入 ${r.rejectsFile}（${ENCODING_LABEL[r.encoding] ?? r.encoding}）` : `written to ${r.rejectsFile} (${ENCODING_LABEL[r.encoding] ?? r.encoding})`) : (zh ? '（试运行未写拒绝文件；可用 --rejects 指定）' : '(no reject file in a dry run unless --rejects is given)')
    lines.push(zh ? `${n(r.rejected)} 行被拒绝，${where}，例如：` : `${counted(r.rejected, 'rejected row')} ${where}, for example:`)
    const width = Math.max(...r.rejectExamples.map((e) => n(e.line).length))
    for (const e of r.rejectExamples) lines.push(visible(`  ${zh ? '第' : 'line'} ${n(e.line).padEnd(width)}${zh ? ' 行' : ''}  ${e.field.padEnd(12)} ${localize(e.reason, lang)}`))
  }
  for (const w of r.warningExamples) lines.push(c.yellow(visible(`${zh ? '警告 第' : 'warning: line'} ${n(w.line)}${zh ? ' 行' : ''} ${w.field}: ${localize(w.reason, lang)}`)))
  if (r.dryRun) lines.push(zh ? '试运行：数据库未改动。' : 'Dry run: nothing was written to the database.')
  else if (!r.committed) lines.push(c.red(zh ? `--strict：有 ${n(r.rejected)} 行被拒绝，未写入任何数据。` : `--strict: nothing was written, because ${counted(r.rejected, 'row')} ${r.rejected === 1 ? 'was' : 'were'} rejected.`))
  else if (r.inserted + r.updated + r.unchanged === 0 && r.rejected > 0) lines.push(zh ? '未写入任何数据：没有一行通过检查。' : 'Nothing was written: no row passed the checks.')
  else if (r.inserted + r.updated === 0) {
    const before = r.sameFileAsBatch === null ? '' : zh ? `（此文件最早作为第 ${r.sameFileAsBatch} 批导入）` : ` (this file was first imported as batch ${r.sameFileAsBatch})`
    // Rejected rows were not compared with anything: only the accepted ones match.
    const matching = r.rejected === 0
      ? (zh ? '每一行都与数据库一致' : 'every row matches the database')
      : zh ? `通过检查的 ${n(r.unchanged)} 行都与数据库一致，另有 ${n(r.rejected)} 行被拒绝` : `the ${counted(r.unchanged, 'accepted row')} ${r.unchanged === 1 ? 'matches' : 'match'} the database, and ${n(r.rejected)} ${r.rejected === 1 ? 'was' : 'were'} rejected`
    lines.push(zh ? `没有任何改动：${matching}${before}。` : `Nothing changed: ${matching}${before}.`)
  }
  return lines.join('\n')
}

/** "1 rejected row", "2,000 rejected rows" (any noun that takes an s). */
export function counted(count: number, noun: string): string {
  return `${n(count)} ${noun}${count === 1 ? '' : 's'}`
}
