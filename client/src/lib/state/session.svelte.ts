/** Who is signed in, what the server allows (ClientConfig), and why a session ended. */
import type { Me } from '../../../../shared/schemas/index.js';
import type { ClientConfig } from '../../../../shared/http.js';

export type SessionStatus = 'unknown' | 'signed-out' | 'signed-in';
export type EndReason = 'signed-out' | 'deactivated' | 'expired' | 'password-changed';

const DEFAULT_CONFIG: ClientConfig = {
  messageMaxLength: 4000,
  smsEnabled: false,
  smsMaxParts: 3,
  smsIfUnreadMinutes: [],
  smsNormalize: false,
  timeZone: 'Europe/Warsaw',
  attachmentMaxBytes: 25 * 1024 * 1024,
};

class SessionState {
  status = $state<SessionStatus>('unknown');
  me = $state<Me | null>(null);
  config = $state<ClientConfig>({ ...DEFAULT_CONFIG });
  configLoaded = $state(false);
  endedReason = $state<EndReason | null>(null);
  isAdmin = $derived(this.me?.role === 'admin');

  signedIn(me: Me): void {
    this.me = me;
    this.status = 'signed-in';
    this.endedReason = null;
  }

  signedOut(reason: EndReason | null): void {
    this.me = null;
    this.status = 'signed-out';
    this.endedReason = reason;
    this.configLoaded = false;
  }

  setConfig(config: ClientConfig): void {
    this.config = config;
    this.configLoaded = true;
  }
}

export const session = new SessionState();
