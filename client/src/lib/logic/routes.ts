/** Hash routing (pure, tested): #/chat/<id>, #/profile, #/directory, #/sms-report, #/notifications, #/templates, #/integrations; anything else is home. */
export type Route =
  | { name: 'home' }
  | { name: 'chat'; conversationId: string }
  | { name: 'profile' }
  | { name: 'directory' }
  | { name: 'sms-report' }
  | { name: 'notifications' }
  | { name: 'templates' }
  | { name: 'integrations' }
  | { name: 'not-found' };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '') return { name: 'home' };
  const [first, second, ...rest] = path.split('/');
  if (first === 'chat' && second && rest.length === 0) return { name: 'chat', conversationId: decodeURIComponent(second) };
  if (second === undefined) {
    if (first === 'profile' || first === 'directory' || first === 'sms-report' || first === 'notifications') return { name: first };
    if (first === 'templates' || first === 'integrations') return { name: first };
  }
  return { name: 'not-found' };
}

export const href = {
  home: '#/',
  chat: (conversationId: string) => `#/chat/${encodeURIComponent(conversationId)}`,
  profile: '#/profile',
  directory: '#/directory',
  smsReport: '#/sms-report',
  notifications: '#/notifications',
  templates: '#/templates',
  integrations: '#/integrations',
} as const;

