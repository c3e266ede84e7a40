import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API } from '../../../../shared/http.js';
import { ChangePasswordBody, SignInBody, UpdateMyProfileBody } from '../../../../shared/schemas/index.js';
import { toMe } from '../../domain/employee-views.js';
import type { AuthService } from '../../services/auth.js';
import type { DirectoryService } from '../../services/directory.js';
import { SESSION_COOKIE, currentEmployee, makeAuthHooks } from './auth-hooks.js';

export interface SessionRoutesOptions {
  auth: AuthService;
  directory: DirectoryService;
  secureCookies: boolean;
  sessionTtlHours: number;
}

/** Sign-in, sign-out and the signed-in employee's own profile. */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { requireEmployee } = makeAuthHooks(opts.auth);

  app.post(API.session, { schema: { body: SignInBody } }, async (request, reply) => {
    const { token, employee } = await opts.auth.signIn(request.body.login, request.body.password, request.ip);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      maxAge: opts.sessionTtlHours * 3600,
    });
    return toMe(employee);
  });

  app.delete(API.session, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await opts.auth.signOut(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(API.me, { preHandler: requireEmployee }, async (request) => toMe(currentEmployee(request)));

  app.patch(API.myProfile, { preHandler: requireEmployee, schema: { body: UpdateMyProfileBody } }, async (request) =>
    toMe(await opts.directory.updateMyProfile(currentEmployee(request).id, request.body)),
  );

  app.put(API.myPassword, { preHandler: requireEmployee, schema: { body: ChangePasswordBody } }, async (request, reply) => {
    await opts.directory.changePassword(currentEmployee(request).id, request.body, request.sessionTokenHash ?? undefined, request.ip);
    return reply.status(204).send();
  });
};
