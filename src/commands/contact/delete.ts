import {BaseCommand} from '../../base-command.js'
import {idArg} from '../../flags.js'
import {en, say} from '../../core/messages.js'
import {type ContactDeleteOutcome, deleteContact} from '../../services/edits.js'

export type ContactDeleteResult = ContactDeleteOutcome & {readonly id: number}

export default class ContactDelete extends BaseCommand<typeof ContactDelete, ContactDeleteResult> {
  static override summary = 'Delete a contact: it leaves every list, the due list and exports.'
  static override description =
    'The row stays (deleted_at set). A follow-up this contact had answered is open again, unless a later contact ' +
    'of the customer answers it, which then closes it: the deleted contact is taken as never having happened. ' +
    'Deleting a deleted contact says so and changes nothing.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> 1234',
    '<%= config.bin %> <%= command.id %> 1234 --json',
  ]
  static override args = {
    id: idArg(en('theContactId'), 'the contact id (shown by contact log, list and due)', en('listOpenContacts')),
  }

  async run(): Promise<ContactDeleteResult> {
    const {args} = this
    const outcome = deleteContact(this.db(), args.id, {actor: this.actor, command: this.commandLine})
    this.log(say(this.lang, outcome.deleted ? 'contactDeletedNow' : 'contactAlreadyDeleted', {id: args.id}))
    if (outcome.reopened_follow_ups.length > 0)
      this.log(say(this.lang, 'followUpsReopened', {ids: outcome.reopened_follow_ups.join(', ')}))
    return {id: args.id, ...outcome}
  }
}
