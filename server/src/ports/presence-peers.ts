/**
 * The other Depesza processes, for presence: each knows only the devices connected to it, so before telling
 * anyone a person's state a process asks the others what they hold, and tells them what it announced.
 */
import type { PresenceEntry } from '../../../shared/protocol.js';

export interface PresenceAnswers {
  /** This process's own devices of these employees (null: of everyone it has), one entry per employee not offline. */
  answer(employeeIds: string[] | null): PresenceEntry[];
  /** What another process has just announced to everyone. */
  told(entries: PresenceEntry[]): void;
}

export interface PresencePeers {
  /**
   * What the other processes hold of these employees (null: of everyone). A process that does not answer in
   * time is left out: its devices are as good as gone.
   */
  ask(employeeIds: string[] | null): Promise<PresenceEntry[]>;
  tell(entries: PresenceEntry[]): void;
  /** Answers the other processes' questions and hears what they announced. */
  serve(answers: PresenceAnswers): void;
}
