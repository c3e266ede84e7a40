/** SMS templates: everyone lists them (the composer's picker); the admin page keeps them. */
import { API } from '../../../../shared/http.js';
import type { SmsTemplate, SmsTemplateBody, SmsTemplatePatch } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';

export function listTemplates(): Promise<SmsTemplate[]> {
  return api<SmsTemplate[]>('GET', API.smsTemplates);
}

export function createTemplate(body: SmsTemplateBody): Promise<SmsTemplate> {
  return api<SmsTemplate>('POST', API.adminSmsTemplates, body);
}

export function updateTemplate(id: string, body: SmsTemplatePatch): Promise<SmsTemplate> {
  return api<SmsTemplate>('PATCH', API.adminSmsTemplate(id), body);
}

export function deleteTemplate(id: string): Promise<void> {
  return api<void>('DELETE', API.adminSmsTemplate(id));
}
