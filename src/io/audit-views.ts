import {maskAuditDetails} from '../core/audit-details.js'
import {instantForJson, instantForPeople} from '../core/dates.js'
import {say} from '../core/messages.js'
import type {AuditListRow} from '../db/repositories/audit.js'
import type {View} from './row-writer.js'
import type {Lang} from './terminal.js'

const DETAILS_WIDTH = 60

/** An entry's details as output shows them: parsed (as stored when they are not JSON), masked unless revealed. */
function shownDetails(details: string, reveal: boolean): unknown {
  let value: unknown
  try {
    value = JSON.parse(details)
  } catch {
    value = details
  }
  return reveal ? value : maskAuditDetails(value, typeof value === 'string' ? 'details' : undefined)
}

export type AuditRecord = {
  readonly id: number
  readonly at: string | null
  readonly actor: string
  readonly os_user: string | null
  readonly command: string
  readonly action: string
  readonly rows: number
  readonly details: unknown
}

export const AUDIT_KEYS: readonly string[] = ['id', 'at', 'actor', 'os_user', 'command', 'action', 'rows', 'details']

export function auditRecord(a: AuditListRow, reveal: boolean): AuditRecord {
  return {
    id: a.id,
    at: instantForJson(a.at),
    actor: a.actor,
    os_user: a.osUser,
    command: a.command,
    action: a.action,
    rows: a.rows,
    details: shownDetails(a.details, reveal),
  }
}

/** A table row's details: compact JSON on one line, cut (csv and json keep them whole). */
function detailsCell(a: AuditListRow, reveal: boolean): string {
  const shown = shownDetails(a.details, reveal)
  const text = typeof shown === 'string' ? shown : JSON.stringify(shown)
  const chars = [...text]
  return chars.length > DETAILS_WIDTH ? `${chars.slice(0, DETAILS_WIDTH - 1).join('')}…` : text
}

/** The audit log as listed: control characters in any cell are escaped on a terminal by the writer. */
export function auditListView(lang: Lang, reveal: boolean): View<AuditListRow> {
  return {
    record: (a) => auditRecord(a, reveal),
    keys: AUDIT_KEYS,
    columns: [
      {header: 'ID', cell: (a) => String(a.id), align: 'right'},
      {header: say(lang, 'headWhen'), cell: (a) => instantForPeople(a.at)},
      {
        header: say(lang, 'headBy'),
        cell: (a) => (a.osUser && a.osUser !== a.actor ? `${a.actor} (${a.osUser})` : a.actor),
      },
      {header: say(lang, 'headAction'), cell: (a) => a.action},
      {header: say(lang, 'headRows'), cell: (a) => String(a.rows), align: 'right'},
      {header: say(lang, 'headDetails'), cell: (a) => detailsCell(a, reveal), priority: -1},
    ],
  }
}
