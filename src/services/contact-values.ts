import type {Channel, NewContact, Purpose} from '../core/contact.js'
import {readContactTime, readDirection} from '../core/contact-input.js'
import {type Customer, maskField} from '../core/customer.js'
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
