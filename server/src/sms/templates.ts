/** SMS templates: admins keep them, everyone picks from them, integrations send with them. */
import { randomUUID } from 'node:crypto';
import type { SmsTemplate, SmsTemplateBody, SmsTemplatePatch } from '../../../shared/schemas/index.js';
import { freeVariables, renderTemplate, type RenderContext } from '../../../shared/sms-template.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import type { SmsTemplateRecord } from '../domain/sms-paths.js';
import type { Clock } from '../ports/clock.js';
import { TemplateNameTaken } from '../ports/sms-paths-store.js';
import type { Store } from '../ports/store.js';

export function toTemplateView(record: SmsTemplateRecord): SmsTemplate {
  return {
    id: record.id,
    name: record.name,
    text: record.text,
    variables: freeVariables(record.text),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** One message's text for one recipient, or a VALIDATION_FAILED that names each wrong variable. */
export function renderOrExplain(text: string, context: RenderContext): string {
  const result = renderTemplate(text, context);
  if (result.ok) return result.text;
  const problems = [
    ...(result.missing.length > 0 ? [`missing: ${result.missing.join(', ')}`] : []),
    ...(result.unexpected.length > 0 ? [`not used by the template or filled by Depesza: ${result.unexpected.join(', ')}`] : []),
  ];
  return failWith(`Template variables ${problems.join('; ')}`, { missing: result.missing, unexpected: result.unexpected });
}

function failWith(message: string, variables: { missing: string[]; unexpected: string[] }): never {
  throw new DomainError('VALIDATION_FAILED', message, { field: 'variables', variables });
}

export function createSmsTemplateService(deps: { store: Store; clock: Clock; messageMaxLength: number }) {
  const { store, clock } = deps;

  function cleanName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed) throw new DomainError('VALIDATION_FAILED', 'name must not be empty', { field: 'name', rule: 'required' });
    return trimmed;
  }

  function cleanText(text: string): string {
    const trimmed = text.replace(/\r\n?/g, '\n').trim();
    if (!trimmed) throw new DomainError('VALIDATION_FAILED', 'text must not be empty', { field: 'text', rule: 'required' });
    if (trimmed.length > deps.messageMaxLength) {
      throw new DomainError('VALIDATION_FAILED', `text must not have more than ${deps.messageMaxLength} characters`, {
        field: 'text',
        rule: 'maxLength',
        limit: deps.messageMaxLength,
      });
    }
    return trimmed;
  }

  async function named<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof TemplateNameTaken) throw new DomainError('CONFLICT', `A template named "${error.templateName}" exists`);
      throw error;
    }
  }

  return {
    async list(): Promise<SmsTemplate[]> {
      return (await store.smsTemplates.list()).map(toTemplateView);
    },

    async create(body: SmsTemplateBody): Promise<SmsTemplate> {
      const now = clock.now();
      const record = { id: randomUUID(), name: cleanName(body.name), text: cleanText(body.text), createdAt: now, updatedAt: now };
      return toTemplateView(await named(() => store.smsTemplates.create(record)));
    },

    async update(id: string, patch: SmsTemplatePatch): Promise<SmsTemplate> {
      const changes = {
        ...(patch.name !== undefined ? { name: cleanName(patch.name) } : {}),
        ...(patch.text !== undefined ? { text: cleanText(patch.text) } : {}),
        updatedAt: clock.now(),
      };
      const updated = await named(() => store.smsTemplates.update(id, changes));
      if (!updated) throw notFound('No such template');
      return toTemplateView(updated);
    },

    async remove(id: string): Promise<void> {
      if (!(await store.smsTemplates.delete(id))) throw notFound('No such template');
    },

    /** By id or by name (integrations may say "Awaria sieci" rather than keep ids). */
    async find(idOrName: string): Promise<SmsTemplateRecord> {
      const found = (await store.smsTemplates.findById(idOrName)) ?? (await store.smsTemplates.findByName(idOrName));
      if (!found) throw invalid(`No template with the id or name "${idOrName}"`);
      return found;
    },
  };
}

export type SmsTemplateService = ReturnType<typeof createSmsTemplateService>;
