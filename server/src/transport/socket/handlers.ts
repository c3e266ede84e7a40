/**
 * Socket commands: validate the payload with the shared schema → call one service → answer through the ack.
 * Unknown events, malformed payloads, oversized frames and floods all get an error ack; nothing throws.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { TSchema, Static } from 'typebox';
import type { Ack, CommandName, CommandPayload, CommandResult } from '../../../../shared/protocol.js';
import { MAX_FRAME_BYTES } from '../../../../shared/protocol.js';
import type { ErrorBody, ErrorCode } from '../../../../shared/errors.js';
import {
  AcknowledgeRequest,
  AddMembersRequest,
  CatchUpRequest,
  ConversationRef,
  CreateGroupRequest,
  DeleteMessageRequest,
  EditMessageRequest,
  EmptyPayload,
  HistoryRequest,
  NotificationsReadRequest,
  OpenDirectRequest,
  PresenceRequest,
  PresenceWatchRequest,
  ReactRequest,
  ReceiptRequest,
  SendMessageRequest,
  SmsCorrectionRequest,
  SearchRequest,
  MuteRequest,
  DoNotDisturbRequest,
} from '../../../../shared/schemas/index.js';
import type { Employee } from '../../domain/entities.js';
import { DomainError, type ErrorDetails } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { FloodBucket, FloodGate } from '../../ports/flood-gate.js';
import type { MessagingService } from '../../services/messaging.js';
import type { PresenceService } from '../../services/presence.js';
import type { SearchService } from '../../services/search.js';
import type { NotifySettingsService } from '../../services/notify-settings.js';
import type { NotificationService } from '../../services/notifications.js';
import type { SmsPreviewService } from '../../sms/urgent-sms.js';
import type { Acknowledgements } from '../../ack/acknowledgements.js';
import { findProblem } from '../validate.js';
import { checkPayload, MAX_PAYLOAD_DEPTH } from './payload-size.js';
import { rewatch } from './presence-rooms.js';
import { endExpired } from './session-guards.js';
import type { DepeszaSocket } from './types.js';

export interface HandlerDeps {
  messaging: MessagingService;
  presence: PresenceService;
  notifications: NotificationService;
  smsPreview: SmsPreviewService;
  acknowledgements: Pick<Acknowledgements, 'acknowledge'>;
  search: SearchService;
  notifySettings: NotifySettingsService;
  /** Per employee over all their devices and processes: every event, and messages besides. */
  floodGate: FloodGate;
  floodLimits: { eventsPerMinute: number; messagesPerMinute: number };
  logger: FastifyBaseLogger;
  /** Times the session's end (`socket.data.expiresAt`): a command after it ends the socket instead of running. */
  clock: Clock;
}

/**
 * One command: the schema that validates its payload and the service call that answers it. `payload` is only a
 * type marker (never set): it makes `Command` invariant in the payload, so the table below fails `tsc` when a
 * schema's static type and the contract's payload differ in either direction.
 */
export interface Command<P, R> {
  schema: TSchema;
  run: (employee: Employee, payload: P, socket: DepeszaSocket) => Promise<R>;
  isMessage: boolean;
  payload?: P;
}

/** Every event of `ClientToServerEvents`, each answering with exactly the data its ack declares. */
export type CommandTable = { [E in CommandName]: Command<CommandPayload<E>, CommandResult<E>> };

export function command<S extends TSchema, R>(
  schema: S,
  run: (employee: Employee, payload: Static<S>, socket: DepeszaSocket) => Promise<R>,
  options: { isMessage?: boolean } = {},
): Command<Static<S>, R> {
  return { schema, run, isMessage: options.isMessage === true };
}

function fail(code: ErrorCode, message: string, details: ErrorDetails = {}): { ok: false; error: ErrorBody } {
  return { ok: false, error: { code, message, ...details } };
}

function commandTable(deps: HandlerDeps): CommandTable {
  const { messaging } = deps;
  return {
    'conversation:list': command(EmptyPayload, (me) => messaging.listConversations(me.id)),
    'conversation:openDirect': command(OpenDirectRequest, (me, p) => messaging.openDirect(me, p.employeeId)),
    'conversation:createGroup': command(CreateGroupRequest, (me, p) => messaging.createGroup(me, p)),
    'conversation:addMembers': command(AddMembersRequest, (me, p) => messaging.addMembers(me, p)),
    'conversation:leave': command(ConversationRef, (me, p) => messaging.leave(me, p.conversationId)),
    'message:send': command(SendMessageRequest, (me, p) => messaging.send(me, p), { isMessage: true }),
    'message:history': command(HistoryRequest, (me, p) => messaging.history(me, p)),
    'message:catchUp': command(CatchUpRequest, (me, p) => messaging.catchUp(me, p)),
    'message:edit': command(EditMessageRequest, (me, p) => messaging.edit(me, p), { isMessage: true }),
    'message:delete': command(DeleteMessageRequest, (me, p) => messaging.delete(me, p)),
    'message:react': command(ReactRequest, (me, p) => messaging.react(me, p)),
    'message:smsCorrection': command(SmsCorrectionRequest, (me, p) => messaging.smsCorrection(me, p), { isMessage: true }),
    'message:search': command(SearchRequest, (me, p) => deps.search.search(me, p)),
    'receipt:mark': command(ReceiptRequest, (me, p) => messaging.markReceipt(me, p)),
    'typing:start': command(ConversationRef, (me, p) => messaging.typing(me, p.conversationId)),
    'presence:set': command(PresenceRequest, async (me, p, socket) => {
      deps.presence.set(me.id, socket.id, p.state);
      return null;
    }),
    // Rooms before the snapshot: a change after the snapshot was taken is then announced to this tab too.
    'presence:watch': command(PresenceWatchRequest, async (_me, p, socket) => {
      const employeeIds = [...new Set(p.employeeIds)];
      rewatch(socket, employeeIds);
      return { entries: await deps.presence.watch(employeeIds) };
    }),
    'sms:preview': command(ConversationRef, (me, p) => deps.smsPreview.preview(me, p.conversationId)),
    'notification:list': command(EmptyPayload, (me) => deps.notifications.list(me.id)),
    'notification:read': command(NotificationsReadRequest, (me, p) => deps.notifications.markRead(me.id, p)),
    'message:acknowledge': command(AcknowledgeRequest, (me, p) => deps.acknowledgements.acknowledge(me, p.messageId)),
    'notify:get': command(EmptyPayload, (me) => deps.notifySettings.current(me.id)),
    'notify:mute': command(MuteRequest, (me, p) => deps.notifySettings.mute(me.id, p)),
    'notify:doNotDisturb': command(DoNotDisturbRequest, (me, p) => deps.notifySettings.doNotDisturb(me.id, p)),
  } satisfies CommandTable;
}

/**
 * The command table is built once per server and every socket gets a single listener that looks the event up in
 * it: a connection costs one closure, not one per command (npm run bench, memory per idle connection).
 */
export function createCommandDispatcher(deps: HandlerDeps): (socket: DepeszaSocket) => void {
  // A Map, not the object: an event named "toString" or "__proto__" must not find Object.prototype's members.
  const commands = new Map<string, Command<unknown, unknown>>(
    Object.entries(commandTable(deps)) as Array<[string, Command<unknown, unknown>]>,
  );
  const eventBuckets: FloodBucket[] = [{ name: 'events', perMinute: deps.floodLimits.eventsPerMinute }];
  const messageBuckets: FloodBucket[] = [...eventBuckets, { name: 'messages', perMinute: deps.floodLimits.messagesPerMinute }];
  // A shared gate answers over the network, possibly out of order (a pool of connections): each socket's checks
  // are chained so that its commands still start in the order they arrived (two sends keep their order).
  const lastCheck = new WeakMap<DepeszaSocket, Promise<boolean>>();
  function admit(socket: DepeszaSocket, employeeId: string, buckets: FloodBucket[]): Promise<boolean> {
    const check = (lastCheck.get(socket) ?? Promise.resolve(true)).then(
      () => deps.floodGate.take(employeeId, buckets),
      () => deps.floodGate.take(employeeId, buckets),
    );
    lastCheck.set(socket, check);
    // Forgotten once settled, unless a later check followed: an idle socket holds no promise.
    const forget = () => {
      if (lastCheck.get(socket) === check) lastCheck.delete(socket);
    };
    check.then(forget, forget);
    return check;
  }

  async function dispatch(socket: DepeszaSocket, event: string, args: unknown[], ack: ((answer: Ack<unknown>) => void) | null): Promise<void> {
    const reply = (answer: Ack<unknown>) => ack?.(answer);
    const employee = socket.data.employee;
    const found = commands.get(event);
    if (!found) return reply(fail('UNKNOWN_EVENT', `Unknown event ${JSON.stringify(event.slice(0, 60))}`));
    try {
      if (!(await admit(socket, employee.id, found.isMessage ? messageBuckets : eventBuckets))) {
        return reply(fail('RATE_LIMITED', 'Too many requests; slow down and try again in a moment'));
      }
      const payload = args.length === 0 ? {} : args[0];
      if (args.length > 1) return reply(fail('VALIDATION_FAILED', `${event} takes one payload object`));
      const verdict = checkPayload(payload, MAX_FRAME_BYTES);
      if (verdict === 'too-large') return reply(fail('PAYLOAD_TOO_LARGE', `The ${event} payload is larger than ${MAX_FRAME_BYTES / 1024} KB`));
      if (verdict === 'too-deep') {
        deps.logger.warn({ event, employeeId: employee.id }, 'socket payload refused: nested too deep');
        return reply(fail('VALIDATION_FAILED', `The ${event} payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`));
      }
      const problem = findProblem(found.schema, payload);
      if (problem !== null) return reply(fail('VALIDATION_FAILED', problem.message, { field: problem.field, rule: problem.rule, ...(problem.limit !== undefined ? { limit: problem.limit } : {}) }));
      const data = await found.run(employee, payload, socket);
      reply({ ok: true, data });
    } catch (error) {
      if (error instanceof DomainError) return reply(fail(error.code, error.message, error.details));
      deps.logger.error({ err: error, event, employeeId: employee.id }, 'socket command failed');
      reply(fail('INTERNAL', 'Something went wrong on the server; it has been logged'));
    }
  }

  return (socket) => {
    socket.onAny((event: unknown, ...args: unknown[]) => {
      // Before anything of the command runs (the timer may not have fired yet, or the clock is a test's).
      if (deps.clock.now().getTime() >= socket.data.expiresAt) return endExpired(socket);
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: Ack<unknown>) => void) : null;
      void dispatch(socket, String(event), args, ack);
    });
  };
}
