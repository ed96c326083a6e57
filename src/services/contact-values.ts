import type {Database} from 'better-sqlite3'
import {CHANNEL_LABEL, CHANNELS, type Channel, PURPOSE_LABEL, type Purpose, PURPOSES} from '../core/contact.js'
import {readChannel, readContactTime, readDirection, readFollowUp, readPurpose} from '../core/contact-input.js'
import type {Customer} from '../core/customer.js'
import {maskField, SEARCH_MAX_LENGTH} from '../core/customer.js'
import {ExitCode, flagValue, notFound, UserError} from '../errors.js'
import {unknownCustomerHint} from '../core/suggest.js'
import {customerRepository} from '../db/repositories/customers.js'
import {askText, canPrompt, searchChoice, selectChoice} from '../io/prompts.js'
import type {Lang} from '../io/terminal.js'
import {en, localize, say} from '../core/messages.js'

export interface ContactFlags {
  readonly customer?: string
  readonly channel?: string
  readonly direction?: string
  readonly purpose?: string
  readonly outcome?: string
  readonly rm?: string
  readonly at?: string
  readonly note?: string
  readonly 'follow-up'?: string
}

function missing(flag: string, what: string): never {
  throw new UserError(en('missingFlag', {flag, what}), ExitCode.Usage, en('missingFlagHint', {flag}))
}

/**
 * The values of a contact from flags, asking on a terminal for the required ones that are missing (customer,
 * channel, purpose) and failing with a usage error when there is no terminal. `prompted` says whether anything
 * was asked, so the caller can confirm.
 */
export async function contactValues(db: Database, flags: ContactFlags, options: {json: boolean; lang: Lang; now: string}) {
  const interactive = canPrompt(options.json)
  const customers = customerRepository(db)
  let prompted = false
  let customerId = flags.customer
  if (customerId === undefined) {
    if (!interactive) missing('customer', en('customerNumber'))
    prompted = true
    customerId = await searchChoice(say(options.lang, 'promptCustomer'), (text) =>
      customers.list({search: text.slice(0, SEARCH_MAX_LENGTH), limit: 15}).map((c) => ({value: String(c.values.customer_id), name: `${c.values.customer_id}  ${c.values.name}`, description: String(c.values.branch ?? '')})))
  }
  const customer = customers.find(customerId) ?? notFound(en('noCustomer', {id: customerId}), unknownCustomerHint(customerId, customers.similar(customerId)))
  let channel: Channel
  if (flags.channel === undefined) {
    if (!interactive) missing('channel', en('oneOf', {values: CHANNELS.join(', ')}))
    prompted = true
    channel = (await selectChoice(say(options.lang, 'promptChannel'), CHANNELS.map((c) => ({value: c, name: say(options.lang, 'choice', {value: c, label: CHANNEL_LABEL[c].zh})})))) as Channel
  } else channel = flagValue('channel', readChannel(flags.channel))
  let purpose: Purpose
  if (flags.purpose === undefined) {
    if (!interactive) missing('purpose', en('oneOf', {values: PURPOSES.join(', ')}))
    prompted = true
    purpose = (await selectChoice(say(options.lang, 'promptPurpose'), PURPOSES.map((p) => ({value: p, name: say(options.lang, 'choice', {value: p, label: PURPOSE_LABEL[p].zh})})))) as Purpose
  } else purpose = flagValue('purpose', readPurpose(flags.purpose))
  const today = options.now.slice(0, 10)
  let followUpOn = flags['follow-up'] === undefined ? null : flagValue('follow-up', readFollowUp(flags['follow-up'], today))
  if (followUpOn === null && prompted) {
    const answer = await askText(say(options.lang, 'promptFollowUp'), (text) => {
      if (text.trim() === '') return true
      const date = readFollowUp(text, today)
      return typeof date === 'string' ? true : localize(date.error, options.lang)
    })
    followUpOn = answer.trim() === '' ? null : (readFollowUp(answer, today) as string)
  }
  return {
    customer,
    prompted,
    contact: {
      customerId: String(customer.values.customer_id),
      ...(flags.at === undefined ? {at: options.now} : flagValue('at', readContactTime(flags.at, options.now))),
      channel,
      direction: flags.direction === undefined ? ('out' as const) : flagValue('direction', readDirection(flags.direction)),
      purpose,
      outcome: flags.outcome ?? null,
      rm: flags.rm ?? (customer.values.rm as string | null) ?? null,
      notes: flags.note ?? null,
      followUpOn,
    },
  }
}

/** One line naming the customer with personal data masked, for a confirmation. */
export function maskedCustomerLine(customer: Customer): string {
  const v = customer.values
  const id = v.id_number ? maskField('id_number', String(v.id_number)) : ''
  const phone = v.phone ? maskField('phone', String(v.phone)) : ''
  return [v.customer_id, v.name, v.branch, id, phone].filter(Boolean).join('  ')
}
