import {CHANNEL_LABEL, type Channel, type NewContact, PURPOSE_LABEL, type Purpose} from '../core/contact.js'
import {readContactTime, readDirection} from '../core/contact-input.js'
import {type Customer, maskField} from '../core/customer.js'
import {padDisplay} from '../core/display-width.js'
import {maskLookalike} from '../core/masking.js'
import {type Lang, type MessageKey, say} from '../core/messages.js'
import {visible, visibleLines} from '../core/visible.js'
import {flagValue} from '../errors.js'

/** The flags of a contact, with the required ones already given or asked for (io/contact-prompts). */
export interface ContactValues {
  readonly channel: Channel
  readonly purpose: Purpose
  readonly followUpOn: string | null
  readonly direction?: string
  readonly outcome?: string
  readonly rm?: string
  readonly at?: string
  readonly note?: string
}

/**
 * The contact to log with `customer`: now unless --at, outgoing unless --direction, the customer's manager unless --rm.
 */
export function contactValues(customer: Customer, values: ContactValues, now: string): NewContact {
  return {
    customerId: String(customer.values.customer_id),
    ...(values.at === undefined ? {at: now} : flagValue('at', readContactTime(values.at, now))),
    channel: values.channel,
    direction:
      values.direction === undefined ? ('out' as const) : flagValue('direction', readDirection(values.direction)),
    purpose: values.purpose,
    outcome: values.outcome ?? null,
    rm: values.rm ?? (customer.values.rm as string | null) ?? null,
    notes: values.note ?? null,
    followUpOn: values.followUpOn,
  }
}

/** One line naming the customer with personal data masked, for a confirmation. */
export function maskedCustomerLine(customer: Customer): string {
  const v = customer.values
  const id = v.id_number ? maskField('id_number', String(v.id_number)) : ''
  const phone = v.phone ? maskField('phone', String(v.phone)) : ''
  return [v.customer_id, v.name, v.branch, id, phone].filter(Boolean).join('  ')
}

/**
 * Everything contact log will store, one field a line, as contact list shows it: personal data in the customer, the
 * outcome and the note masked, control characters shown as escapes; a note's lines stay lines, indented.
 */
export function contactToLogLines(customer: Customer, contact: NewContact, lang: Lang): string[] {
  const label = (key: MessageKey) => say(lang, key)
  const text = (value: string | null) =>
    value === null ? label('logNone') : visibleLines(maskLookalike(value)).replaceAll('\n', `\n${' '.repeat(16)}`)
  const fields: [MessageKey, string][] = [
    ['logCustomer', visible(maskedCustomerLine(customer))],
    ['logAt', contact.at.replace('T', ' ').slice(0, 16) + (contact.utcOffset ? ` ${contact.utcOffset}` : '')],
    ['logChannel', say(lang, 'choice', {value: contact.channel, label: CHANNEL_LABEL[contact.channel].zh})],
    ['logDirection', say(lang, contact.direction === 'in' ? 'directionIn' : 'directionOut')],
    ['logPurpose', say(lang, 'choice', {value: contact.purpose, label: PURPOSE_LABEL[contact.purpose].zh})],
    ['logOutcome', text(contact.outcome)],
    ['logRm', contact.rm === null ? label('logNone') : visible(contact.rm)],
    ['logNote', text(contact.notes)],
    ['logFollowUp', contact.followUpOn ?? label('logNone')],
  ]
  return [label('logSummary'), ...fields.map(([key, value]) => `  ${padDisplay(label(key), 14)}${value}`)]
}
