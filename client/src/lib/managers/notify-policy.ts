/** Whether a message that just arrived earns a system notification (and its sound). Pure. */
export interface NotifyFacts {
  fromMe: boolean;
  /** Sent with "notify by SMS": always worth interrupting for, Do-not-disturb and mute included. */
  urgent: boolean;
  /** Mentions me (or everyone): notifies through a mute, not through Do-not-disturb. */
  mentionsMe: boolean;
  muted: boolean;
  doNotDisturb: boolean;
  /** Some visible tab of mine shows this conversation: the message is being seen already. */
  onScreen: boolean;
}

export function shouldNotify(facts: NotifyFacts): boolean {
  if (facts.fromMe || facts.onScreen) return false;
  if (facts.urgent) return true;
  if (facts.doNotDisturb) return false;
  if (facts.mentionsMe) return true;
  return !facts.muted;
}
