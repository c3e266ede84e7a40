import { API } from '../../../../shared/http.js';
import type { ChangePasswordBody, Me, UpdateMyProfileBody } from '../../../../shared/schemas/index.js';
import { api } from '../api.js';
import { session } from '../state/session.svelte.js';

export async function saveProfile(body: UpdateMyProfileBody): Promise<Me> {
  const me = await api<Me>('PATCH', API.myProfile, body);
  session.me = me;
  return me;
}

export async function changePassword(body: ChangePasswordBody): Promise<void> {
  // A wrong current password answers 401; that is the form's error, not an ended session.
  await api<void>('PUT', API.myPassword, body, { quiet401: true });
}
