/**
 * What the paths that send one request to many (integrations, bulk SMS) share: each recipient's text (a template
 * rendered for them, or the same text), and each recipient's outcome read back from the message and SMS stored
 * under the request's derived client id.
 */
import { derivedClientId } from '../domain/derived-client-id.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, invalid } from '../domain/errors.js';
import type { SmsTemplateRecord } from '../domain/sms-paths.js';
import type { SmsReason } from '../../../shared/schemas/index.js';
import type { Store } from '../ports/store.js';
import { renderOrExplain } from './templates.js';

export interface TextsInput {
  template: SmsTemplateRecord | null;
  text: string | undefined;
  variables: Record<string, string> | undefined;
  senderName: string;
  now: Date;
  timeZone: string;
  messageMaxLength: number;
}

/** Per recipient id, the text they get; a VALIDATION_FAILED names what is wrong (a variable, the length). */
export function textsFor(input: TextsInput, recipients: Employee[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const recipient of recipients) {
    const text = input.template
      ? renderOrExplain(input.template.text, {
          recipientName: recipient.name,
          senderName: input.senderName,
          now: input.now,
          timeZone: input.timeZone,
          variables: input.variables ?? {},
        })
      : (input.text ?? '').trim();
    if (!text) throw new DomainError('VALIDATION_FAILED', 'text must not be empty', { field: 'text', rule: 'required' });
    if (text.length > input.messageMaxLength) {
      throw new DomainError('VALIDATION_FAILED', `text must not have more than ${input.messageMaxLength} characters`, {
        field: 'text',
        rule: 'maxLength',
        limit: input.messageMaxLength,
      });
    }
    texts[recipient.id] = text;
  }
  return texts;
}

/** Text xor template, and variables only with a template. */
export function checkTextOrTemplate(hasText: boolean, hasTemplate: boolean, hasVariables: boolean, templateField: string): void {
  if (hasText === hasTemplate) {
    throw new DomainError('VALIDATION_FAILED', `Give either text or ${templateField}, not both`, { field: 'text', rule: 'required' });
  }
  if (hasText && hasVariables) throw invalid('variables go with a template only');
}

export interface RecipientOutcome {
  employee: Employee | undefined;
  messageId: string | null;
  conversationId: string | null;
  sms: { status: string; reason: SmsReason | null; parts: number | null } | null;
}

/** Each recipient's message and SMS as stored now, in the request's order. */
export async function outcomesOf(store: Store, senderId: string, requestId: string, recipientIds: string[]): Promise<RecipientOutcome[]> {
  const people = new Map((await store.employees.findByIds(recipientIds)).map((e) => [e.id, e]));
  const messages = await Promise.all(recipientIds.map((id) => store.messages.findBySenderClientId(senderId, derivedClientId(requestId, id))));
  const stored = messages.filter((m) => m !== null);
  const dispatches = new Map((await store.sms.listForMessages(stored.map((m) => m.id))).map((d) => [d.messageId, d]));
  return recipientIds.map((id, i) => {
    const message = messages[i] ?? null;
    const dispatch = message ? dispatches.get(message.id) : undefined;
    return {
      employee: people.get(id),
      messageId: message?.id ?? null,
      conversationId: message?.conversationId ?? null,
      sms: dispatch ? { status: dispatch.status, reason: dispatch.reason, parts: dispatch.parts } : null,
    };
  });
}
