/** The OpenAPI document the app serves: valid OpenAPI 3 (a real validator) and listing every /api/v1 route. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** "METHOD /full/path" for each route in Fastify's printRoutes tree (each level indented by four characters). */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] as string).length / 4;
    stack.length = depth;
    stack.push(match[2] as string);
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${stack.join('')}`);
  }
  return routes;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ people: null });
  });
  afterAll(async () => t.stop({ remove: true }));

  it('validates as OpenAPI 3 and describes every /api/v1 route and nothing internal', async () => {
    const response = await fetch(`${t.url}${API.v1OpenApi}`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };

    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    // Every route the app has under /api/v1 (the document itself aside), from Fastify's own route table.
    const served = servedRoutes(t.app.fastify.printRoutes({ commonPrefix: false }))
      .filter((route) => route.includes(' /api/v1/') && !route.endsWith(API.v1OpenApi) && !route.startsWith('HEAD '))
      .map((route) => route.replace(/:(\w+)/g, '{$1}'));
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.sort()).toEqual(['GET /api/v1/notifications/{id}', 'POST /api/v1/notifications']);
    expect(documented.sort()).toEqual(served);
    expect(Object.keys(document.paths).every((path) => path.startsWith('/api/v1/'))).toBe(true);
  });
});
