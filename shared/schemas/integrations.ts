/**
 * Integrations (other systems that notify employees) and the public notification API, /api/v1. These schemas are
 * also the OpenAPI document's source: descriptions here are what API users read.
 */
import { Type, type Static } from 'typebox';
import { SmsReason } from './sms-reason.js';

export const IntegrationView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  perMinute: Type.Integer(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type IntegrationView = Static<typeof IntegrationView>;

export const CreateIntegrationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    perMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type CreateIntegrationBody = Static<typeof CreateIntegrationBody>;

/** The token is in this answer only; Depesza keeps its hash. */
export const CreatedIntegration = Type.Object({ integration: IntegrationView, token: Type.String() });
export type CreatedIntegration = Static<typeof CreatedIntegration>;

const Login = Type.String({ minLength: 1, maxLength: 64 });

export const NotifySms = Type.Union(
  [
    Type.Literal('now'),
    Type.Literal('never'),
    Type.Object(
      { ifUnreadAfterMinutes: Type.Number({ minimum: 0.01, maximum: 1440, description: 'Minutes to wait for the recipient to read it' }) },
      { additionalProperties: false },
    ),
  ],
  { description: 'Also send an SMS now, never, or only to whoever has not read the message after N minutes' },
);
export type NotifySms = Static<typeof NotifySms>;

export const NotifyBody = Type.Object(
  {
    recipients: Type.Object(
      {
        logins: Type.Optional(Type.Array(Login, { minItems: 1, maxItems: 500, description: 'Active employees, by login' })),
        departments: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
            minItems: 1,
            maxItems: 50,
            description: 'Everyone active in these departments (letter case does not matter)',
          }),
        ),
        groups: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'The members of these group conversations, by id' }),
        ),
      },
      { additionalProperties: false, description: 'At least one of logins, departments, groups; everyone matching any, once' },
    ),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000, description: 'The text, or use template' })),
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'A template id or name' })),
    variables: Type.Optional(
      Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }), {
        description: "The template's free variables; {imię}, {nazwisko}, {nadawca}, {data}, {godzina} are filled by Depesza",
      }),
    ),
    sms: NotifySms,
  },
  { additionalProperties: false },
);
export type NotifyBody = Static<typeof NotifyBody>;

/** One recipient's SMS: the status and reason codes the SMS report shows. */
export const SmsOutcome = Type.Object({
  status: Type.String(),
  reason: Type.Union([SmsReason, Type.Null()]),
  parts: Type.Union([Type.Integer(), Type.Null()]),
});

export const NotificationRecipientResult = Type.Object({
  login: Type.String(),
  name: Type.String(),
  /** Null while the message is not stored yet (the request is being processed). */
  messageId: Type.Union([Type.String(), Type.Null()]),
  conversationId: Type.Union([Type.String(), Type.Null()]),
  /** Null when no SMS was asked for. Status and reason codes are the ones the SMS report shows. */
  sms: Type.Union([SmsOutcome, Type.Null()]),
});
export type NotificationRecipientResult = Static<typeof NotificationRecipientResult>;

export const NotificationResult = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  sms: NotifySms,
  recipients: Type.Array(NotificationRecipientResult),
});
export type NotificationResult = Static<typeof NotificationResult>;
