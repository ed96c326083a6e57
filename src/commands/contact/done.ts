import {BaseCommand} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {ExitCode, notFound, UserError} from '../../errors.js'
import {idArg} from '../../flags.js'

export type ContactDoneResult = {
  readonly id: number
  readonly follow_up_on: string
  readonly closed: boolean
  readonly already_closed: boolean
}

export default class ContactDone extends BaseCommand<typeof ContactDone, ContactDoneResult> {
  static override summary = 'Close a contact\'s follow-up by hand.'
  static override examples = ['<%= config.bin %> <%= command.id %> 1234']
  static override args = {id: idArg('the contact id', 'the contact id (shown by contact log, list and due)', 'list contacts with: crm contact list --open')}

  async run(): Promise<ContactDoneResult> {
    const contacts = contactRepository(this.db())
    const contact = contacts.find(this.args.id) ?? notFound(`no contact with id ${this.args.id}`, 'list contacts with: crm contact list --open')
    if (contact.followUpOn === null) throw new UserError(`contact ${contact.id} has no follow-up to close`, ExitCode.BadInput)
    const closed = contacts.done(contact.id, {actor: this.actor, command: this.commandLine})
    const zh = this.lang === 'zh'
    if (closed) this.log(zh ? `已关闭联系 ${contact.id} 的跟进（原定 ${contact.followUpOn}）。` : `Closed the follow-up of contact ${contact.id} (due ${contact.followUpOn}).`)
    else this.log(zh ? `联系 ${contact.id} 的跟进此前已关闭。` : `The follow-up of contact ${contact.id} was already closed.`)
    return {id: contact.id, follow_up_on: contact.followUpOn, closed, already_closed: !closed}
  }
}
