/** The admin Integrations page: other systems that notify employees through /api/v1. */
import { API } from '../../../../shared/http.js';
import type { CreateIntegrationBody, CreatedIntegration, IntegrationView } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';

export function listIntegrations(): Promise<IntegrationView[]> {
  return api<IntegrationView[]>('GET', API.adminIntegrations);
}

export function createIntegration(body: CreateIntegrationBody): Promise<CreatedIntegration> {
  return api<CreatedIntegration>('POST', API.adminIntegrations, body);
}

export function revokeIntegration(id: string): Promise<IntegrationView> {
  return api<IntegrationView>('DELETE', API.adminIntegration(id));
}
