import {BaseCommand} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {ExitCode, notFound, UserError} from '../../errors.js'
import {idArg} from '../../flags.js'
import {en, say} from '../../core/messages.js'

export type ContactDoneResult = {
  readonly id: number
  readonly follow_up_on: string
  readonly closed: boolean
  readonly already_closed: boolean
}

export default class ContactDone extends BaseCommand<typeof ContactDone, ContactDoneResult> {
  static override summary = "Close a contact's follow-up by hand."
  static override examples = ['<%= config.bin %> <%= command.id %> 1234']
  static override args = {
    id: idArg(
      en('theContactId'),
      'the contact id (shown by contact log, list and due)',
      'list contacts with: crm contact list --open',
    ),
  }

  async run(): Promise<ContactDoneResult> {
    const contacts = contactRepository(this.db())
    const contact = contacts.find(this.args.id) ?? notFound(en('noContact', {id: this.args.id}), en('listOpenContacts'))
    if (contact.followUpOn === null) throw new UserError(en('noFollowUp', {id: contact.id}), ExitCode.BadInput)
    const closed = contacts.done(contact.id, {actor: this.actor, command: this.commandLine})
    if (closed) this.log(say(this.lang, 'followUpClosed', {id: contact.id, date: contact.followUpOn}))
    else this.log(say(this.lang, 'followUpAlreadyClosed', {id: contact.id}))
    return {id: contact.id, follow_up_on: contact.followUpOn, closed, already_closed: !closed}
  }
}
