/**
 * Attachments over HTTP (issue 12): `POST /api/attachments` (multipart, one file) streams into the file store;
 * `GET /api/attachments/:id` answers members of the conversation only (404 for anyone else, as for a missing file).
 * Only raster images are served with their type and inline; everything else downloads as an octet stream, and
 * nothing served here may run script (nosniff, a sandboxing CSP).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { API } from '../../../../shared/http.js';
import { DomainError } from '../../domain/errors.js';
import type { AttachmentService } from '../../services/attachments.js';
import type { AuthService } from '../../services/auth.js';
import { currentEmployee, makeAuthHooks } from './auth-hooks.js';
import { contentDisposition } from './content-disposition.js';

/** Room for the multipart headers and boundaries around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export const attachmentRoutes: FastifyPluginAsync<{ auth: AuthService; attachments: AttachmentService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireEmployee } = makeAuthHooks(opts.auth);
  const { attachments } = opts;
  // One byte over the limit reaches the service, which refuses it: the limit is decided in one place.
  await app.register(multipart, { limits: { files: 1, fields: 0, fileSize: attachments.maxBytes + 1, parts: 1 }, throwFileSizeLimit: false });

  app.post(API.attachments, { preHandler: requireEmployee }, async (request, reply) => {
    // A declared size already over the limit is refused before a byte of the body is read.
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > attachments.maxBytes + MULTIPART_OVERHEAD) throw attachments.tooLarge();
    if (!request.isMultipart()) throw new DomainError('VALIDATION_FAILED', 'Send the file as multipart/form-data', { field: 'file', rule: 'required' });
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new DomainError('VALIDATION_FAILED', 'The form needs one file field named "file"', { field: 'file', rule: 'required' });
    const view = await attachments.upload(currentEmployee(request), { source: part.file, name: part.filename, contentType: part.mimetype });
    return reply.status(201).send(view);
  });

  app.get(
    `${API.attachments}/:id`,
    { preHandler: requireEmployee, schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) } },
    async (request, reply) => {
      const { attachment, body, inline } = await attachments.open(currentEmployee(request), request.params.id);
      return reply
        .header('content-type', inline ? attachment.contentType : 'application/octet-stream')
        .header('content-length', String(attachment.size))
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', attachment.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(body);
    },
  );
};
