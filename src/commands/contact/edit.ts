import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {idArg, revealFlag} from '../../flags.js'
import {en, say} from '../../core/messages.js'
import {changesText} from '../../io/edit-views.js'
import {editContact, type EditOutcome} from '../../services/edits.js'

export type ContactEditResult = EditOutcome & {readonly id: number}

export default class ContactEdit extends BaseCommand<typeof ContactEdit, ContactEditResult> {
  static override summary = "Change a contact's fields, checked as a contact import checks them, audited."
  static override description =
    'Each --set field=value (at, channel, direction, purpose, outcome, rm, notes, follow_up_on) is checked as ' +
    'contact import checks that column; an empty value clears it. The audit log keeps the old and new values. Notes ' +
    'and outcomes in the output are masked unless --reveal.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> 1234 --set purpose=review',
    "<%= config.bin %> <%= command.id %> 1234 --set 'notes=Called back, wants a deposit offer' --json",
  ]
  static override args = {
    id: idArg(en('theContactId'), 'the contact id (shown by contact log, list and due)', en('listOpenContacts')),
  }
  static override flags = {
    set: Flags.string({summary: 'A field and its new value: field=value (repeatable).', multiple: true, default: []}),
    reveal: revealFlag('Show the old and new notes and outcome unmasked'),
  }

  async run(): Promise<ContactEditResult> {
    const {args, flags} = this
    if (flags.reveal) this.auditReveal(true, 'contact.reveal', {contact: args.id})?.count(1)
    const outcome = editContact(
      this.db(),
      args.id,
      flags.set,
      {actor: this.actor, command: this.commandLine},
      flags.reveal,
    )
    this.log(
      outcome.changed
        ? changesText(this.lang, {key: 'contactEdited', id: args.id}, outcome.changes)
        : say(this.lang, 'contactUnchanged', {id: args.id}),
    )
    return {id: args.id, ...outcome}
  }
}
