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
  throw new UserError(`--${flag} is required: ${what}`, ExitCode.Usage, `give --${flag}, or run on a terminal to be asked`)
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
    if (!interactive) missing('customer', 'the customer number (customer_id)')
    prompted = true
    customerId = await searchChoice(options.lang === 'zh' ? '客户（输入客户号或姓名）' : 'Customer (type an id or part of a name)', (text) =>
      customers.list({search: text.slice(0, SEARCH_MAX_LENGTH), limit: 15}).map((c) => ({value: String(c.values.customer_id), name: `${c.values.customer_id}  ${c.values.name}`, description: String(c.values.branch ?? '')})))
  }
  const customer = customers.find(customerId) ?? notFound(`no customer with customer_id "${customerId}"`, unknownCustomerHint(customerId, customers.similar(customerId)))
  let channel: Channel
  if (flags.channel === undefined) {
    if (!interactive) missing('channel', `one of ${CHANNELS.join(', ')}`)
    prompted = true
    channel = (await selectChoice(options.lang === 'zh' ? '渠道' : 'Channel', CHANNELS.map((c) => ({value: c, name: `${c} (${CHANNEL_LABEL[c].zh})`})))) as Channel
  } else channel = flagValue('channel', readChannel(flags.channel))
  let purpose: Purpose
  if (flags.purpose === undefined) {
    if (!interactive) missing('purpose', `one of ${PURPOSES.join(', ')}`)
    prompted = true
    purpose = (await selectChoice(options.lang === 'zh' ? '目的' : 'Purpose', PURPOSES.map((p) => ({value: p, name: `${p} (${PURPOSE_LABEL[p].zh})`})))) as Purpose
  } else purpose = flagValue('purpose', readPurpose(flags.purpose))
  const today = options.now.slice(0, 10)
  let followUpOn = flags['follow-up'] === undefined ? null : flagValue('follow-up', readFollowUp(flags['follow-up'], today))
  if (followUpOn === null && prompted) {
    const answer = await askText(options.lang === 'zh' ? '下次跟进日期（可留空）' : 'Follow up on (date, or leave empty)', (text) => {
      if (text.trim() === '') return true
      const date = readFollowUp(text, today)
      return typeof date === 'string' ? true : date.error
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
