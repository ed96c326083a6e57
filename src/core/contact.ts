import {createHash} from 'node:crypto'

export const CHANNELS = ['branch', 'phone', 'wechat', 'sms', 'email', 'video', 'visit', 'online', 'event'] as const
export const PURPOSES = ['service', 'marketing', 'review', 'complaint', 'collection', 'onboarding', 'other'] as const
export type Channel = (typeof CHANNELS)[number]
export type Purpose = (typeof PURPOSES)[number]

export const CHANNEL_LABEL: Record<Channel, {en: string; zh: string}> = {
  branch: {en: 'branch visit', zh: '网点'},
  phone: {en: 'phone', zh: '电话'},
  wechat: {en: 'WeChat', zh: '微信'},
  sms: {en: 'SMS', zh: '短信'},
  email: {en: 'e-mail', zh: '邮件'},
  video: {en: 'video', zh: '视频'},
  visit: {en: 'on-site visit', zh: '上门'},
  online: {en: 'online banking', zh: '网银'},
  event: {en: 'event', zh: '活动'},
}
export const PURPOSE_LABEL: Record<Purpose, {en: string; zh: string}> = {
  service: {en: 'service', zh: '服务'},
  marketing: {en: 'marketing', zh: '营销'},
  review: {en: 'review', zh: '回访'},
  complaint: {en: 'complaint', zh: '投诉'},
  collection: {en: 'collection', zh: '催收'},
  onboarding: {en: 'onboarding', zh: '开户'},
  other: {en: 'other', zh: '其他'},
}

/**
 * A contact as crm holds it: `at` is the bank's wall-clock time 'YYYY-MM-DDTHH:MM:SS', with its offset from UTC
 * ('+08:00'; null for contacts logged before crm recorded it, which are in the machine's zone); follow_up_on a date.
 */
export interface Contact {
  readonly id: number
  readonly customerId: string
  readonly at: string
  readonly utcOffset: string | null
  readonly channel: Channel
  readonly direction: 'in' | 'out'
  readonly purpose: Purpose
  readonly outcome: string | null
  readonly rm: string | null
  readonly notes: string | null
  readonly followUpOn: string | null
  readonly followUpClosedAt: string | null
  readonly followUpClosedBy: number | null
  /** When crm recorded it (an instant, ISO in UTC). */
  readonly loggedAt: string
}

/** A contact to log: without an offset, the machine's at its wall-clock time is recorded. */
export type NewContact = Omit<Contact, 'id' | 'followUpClosedAt' | 'followUpClosedBy' | 'utcOffset' | 'loggedAt'> & {
  readonly utcOffset?: string | null
}

/**
 * Two rows are the same contact when customer, time, channel, direction, purpose and notes all agree: importing
 * a file again adds nothing twice. Notes enter the key as a short hash ('' when there are none), so notes of any
 * length index cheaply.
 */
export function notesKey(notes: string | null): string {
  return notes === null ? '' : createHash('sha1').update(notes).digest('base64url').slice(0, 16)
}

/** The same-contact key as one string (for telling repeats apart while reading a file), given the notes key. */
export function contactKey(
  c: Pick<NewContact, 'customerId' | 'at' | 'channel' | 'direction' | 'purpose'>,
  notes: string,
): string {
  return JSON.stringify([c.customerId, c.at, c.channel, c.direction, c.purpose, notes])
}

/**
 * A later contact answers a customer's open follow-ups, unless it only went one way (an SMS or e-mail we sent),
 * which does not count as having reached the customer.
 */
export function answersFollowUps(c: Pick<NewContact, 'channel' | 'direction'>): boolean {
  return !((c.channel === 'sms' || c.channel === 'email') && c.direction === 'out')
}

export interface ContactFilter {
  readonly customerId?: string
  readonly rm?: string
  readonly branch?: string
  readonly channel?: string
  readonly purpose?: string
  /** Inclusive dates (YYYY-MM-DD) on the contact's time. */
  readonly since?: string
  readonly until?: string
  readonly open?: boolean
  /** Notes or outcome contain this text, as shown: masked unless `revealed`. */
  readonly search?: {readonly text: string; readonly revealed: boolean}
  readonly limit?: number
}

/** A contact with the customer's name, for lists. */
export interface ContactRow extends Contact {
  readonly customerName: string
}

/** An open follow-up, with what a manager needs to act on it. */
export interface DueFollowUp {
  readonly contactId: number
  readonly customerId: string
  readonly customerName: string
  readonly rm: string | null
  readonly branch: string | null
  readonly followUpOn: string
  readonly lastChannel: string | null
  readonly lastAt: string | null
}
