/**
 * What the composer's template picker puts into the text box: the built-in placeholders filled as far as the
 * conversation tells (in a group {imię} and {nazwisko} differ per person and stay), free variables left as
 * `{name}` for the sender to replace.
 */
import { freeVariables, renderTemplate } from '../../../../shared/sms-template.js';

export function fillForComposer(
  text: string,
  context: { recipientName: string | null; senderName: string; now: Date; timeZone: string },
): string {
  const keep = Object.fromEntries(freeVariables(text).map((name) => [name, `{${name}}`]));
  const result = renderTemplate(text, { ...context, variables: keep });
  return result.ok ? result.text : text;
}
