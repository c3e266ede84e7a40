/** The admin Directory page. Changes refresh the people list so the sidebar follows. */
import { API } from '../../../../shared/http.js';
import type { CreateEmployeeBody, DirectoryEntry, UpdateEmployeeBody } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';
import { loadPeople } from './session.js';

export function listDirectory(): Promise<DirectoryEntry[]> {
  return api<DirectoryEntry[]>('GET', API.adminEmployees);
}

export async function createEmployee(body: CreateEmployeeBody): Promise<DirectoryEntry> {
  const created = await api<DirectoryEntry>('POST', API.adminEmployees, body);
  void loadPeople();
  return created;
}

export async function updateEmployee(id: string, body: UpdateEmployeeBody): Promise<DirectoryEntry> {
  const updated = await api<DirectoryEntry>('PATCH', API.adminEmployee(id), body);
  void loadPeople();
  return updated;
}
