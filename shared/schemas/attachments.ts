/**
 * File attachments (issue 12): what a message carries and what `message:send` gains. The bytes travel over HTTP
 * (`POST /api/attachments`, `GET /api/attachments/:id`), never over the socket.
 */
import { Type, type Static } from 'typebox';
import { ATTACHMENTS_PER_MESSAGE_MAX } from '../limits.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** The most files one message may carry. */
export { ATTACHMENTS_PER_MESSAGE_MAX };

/** Image types shown inline; everything else is only ever downloaded. Never SVG (it can carry script). */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const AttachmentView = Type.Object({
  id: Id,
  name: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  /** As the uploader's browser named it; the server serves it only for INLINE_IMAGE_TYPES. */
  contentType: Type.String(),
  /** True for INLINE_IMAGE_TYPES: the client may show a thumbnail. */
  image: Type.Boolean(),
});
export type AttachmentView = Static<typeof AttachmentView>;

/** What `message:send` gains: the sender's own uploads not yet attached to any message. */
export const sendAttachmentFields = {
  attachmentIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: ATTACHMENTS_PER_MESSAGE_MAX, uniqueItems: true })),
};
