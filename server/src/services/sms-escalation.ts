/** The SMS side of sending and correcting, implemented by sms/urgent-sms.ts (its own file: no import cycle). */
import type { Employee, SmsOrigin } from '../domain/entities.js';
import type { AppendResult, DispatchPlanner } from '../ports/store.js';

export interface SmsEscalation {
  /**
   * How to decide, per recipient, whether an SMS goes out or why not; the store runs it inside the append's
   * transaction, where the caps' counts cannot change under it.
   */
  plan(input: {
    sender: Employee;
    recipients: Employee[];
    text: string;
    now: Date;
    ifUnreadMinutes?: number | null;
    /** Bulk SMS: the sender's hourly and daily caps do not apply (the bulk limits did, when the job was claimed). */
    senderCapsExempt?: boolean;
    /** Integrations: any delay the schema allows, not only the composer's choices (SMS_IF_UNREAD_MINUTES). */
    anyIfUnreadDelay?: boolean;
    /** With ifUnreadMinutes: the deadline looks at the acknowledgement instead of the read mark. */
    ifUnacknowledged?: boolean;
    /** "Send anyway": quiet hours hold none of these SMS. */
    ignoreQuietHours?: boolean;
    /** Which path asked for the SMS (issue 13), for the SMS report; absent: the chat. */
    origin?: SmsOrigin;
  }): DispatchPlanner;
  /** Called once the message and its dispatches are durable (only for a newly stored message). */
  afterStored(result: AppendResult, recipients: Employee[]): Promise<void>;
  /** Called after a member's read mark rose: "SMS if unread" dispatches they no longer need are settled. */
  afterRead(conversationId: string, readerId: string, readSeq: number): Promise<void>;
}

