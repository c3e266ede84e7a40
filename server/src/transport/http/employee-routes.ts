import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { API } from '../../../../shared/http.js';
import { CreateEmployeeBody, UpdateEmployeeBody } from '../../../../shared/schemas/index.js';
import { toColleague, toDirectoryEntry } from '../../domain/employee-views.js';
import type { AuthService } from '../../services/auth.js';
import type { DirectoryService } from '../../services/directory.js';
import { currentEmployee, makeAuthHooks } from './auth-hooks.js';

/** Colleagues for everyone (no numbers); directory management for admins. */
export const employeeRoutes: FastifyPluginAsync<{ auth: AuthService; directory: DirectoryService }> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireEmployee, requireAdmin } = makeAuthHooks(opts.auth);

  app.get(API.employees, { preHandler: requireEmployee }, async () => (await opts.directory.listActive()).map(toColleague));

  app.get(API.adminEmployees, { preHandler: requireAdmin }, async () => (await opts.directory.listAll()).map(toDirectoryEntry));

  app.post(API.adminEmployees, { preHandler: requireAdmin, schema: { body: CreateEmployeeBody } }, async (request, reply) =>
    reply.status(201).send(toDirectoryEntry(await opts.directory.create(request.body))),
  );

  app.patch(
    `${API.adminEmployees}/:id`,
    { preHandler: requireAdmin, schema: { body: UpdateEmployeeBody, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (request) => toDirectoryEntry(await opts.directory.update(currentEmployee(request).id, request.params.id, request.body)),
  );
};
