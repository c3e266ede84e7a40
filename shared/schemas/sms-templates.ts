/** SMS templates as the admin page edits them and the composer's picker lists them. */
import { Type, type Static } from 'typebox';

export const TemplateName = Type.String({ minLength: 1, maxLength: 80 });
/** The ceiling only; the server also holds a template to MESSAGE_MAX_LENGTH. */
export const TemplateText = Type.String({ minLength: 1, maxLength: 4000 });

export const SmsTemplate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  text: Type.String(),
  /** The free variables the text uses (the built-in placeholders are not listed). */
  variables: Type.Array(Type.String()),
  updatedAt: Type.String(),
});
export type SmsTemplate = Static<typeof SmsTemplate>;

export const SmsTemplateBody = Type.Object({ name: TemplateName, text: TemplateText }, { additionalProperties: false });
export type SmsTemplateBody = Static<typeof SmsTemplateBody>;

export const SmsTemplatePatch = Type.Object(
  { name: Type.Optional(TemplateName), text: Type.Optional(TemplateText) },
  { additionalProperties: false, minProperties: 1 },
);
export type SmsTemplatePatch = Static<typeof SmsTemplatePatch>;
