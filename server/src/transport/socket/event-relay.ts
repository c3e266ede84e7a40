/**
 * Domain events → Socket.IO emits: the one place that decides which rooms hear what. Each employee's sockets are
 * in `employee:<id>`, each session's in `session:<hash>`, each socket in a room named by its own id, and the tabs
 * watching someone's presence in `presence:<id>`. With an adapter (Redis/MongoDB) these emits reach the sockets of
 * every process.
 */
import type { DomainEvents } from '../../ports/events.js';
import type { DepeszaServer } from './types.js';

export const employeeRoom = (id: string) => `employee:${id}`;
export const sessionRoom = (tokenHash: string) => `session:${tokenHash}`;
/** The tabs watching one person's presence (`presence:watch`, see presence-rooms.ts). */
export const presenceRoom = (employeeId: string) => `presence:${employeeId}`;

const rooms = (employeeIds: Iterable<string>) => [...employeeIds].map(employeeRoom);

export function relayDomainEvents(events: DomainEvents, io: DepeszaServer): () => void {
  const stops = [
    events.subscribe('conversation.changed', ({ views }) => {
      for (const { employeeId, summary } of views) io.to(employeeRoom(employeeId)).emit('conversation:upsert', summary);
    }),
    events.subscribe('conversation.left', ({ conversationId, employeeId }) => {
      io.to(employeeRoom(employeeId)).emit('conversation:removed', { conversationId });
    }),
    events.subscribe('message.stored', ({ memberIds, senderId, view, senderView }) => {
      const others = rooms(memberIds.filter((id) => id !== senderId));
      if (others.length > 0) io.to(others).emit('message:new', view);
      io.to(employeeRoom(senderId)).emit('message:new', senderView);
    }),
    events.subscribe('message.changed', ({ memberIds, senderId, view, senderView }) => {
      const others = rooms(memberIds.filter((id) => id !== senderId));
      if (others.length > 0) io.to(others).emit('message:updated', view);
      if (memberIds.includes(senderId)) io.to(employeeRoom(senderId)).emit('message:updated', senderView);
    }),
    events.subscribe('receipt.moved', ({ memberIds, update }) => {
      if (memberIds.length > 0) io.to(rooms(memberIds)).emit('receipt:update', update);
    }),
    events.subscribe('typing.started', ({ recipientIds, conversationId, employeeId }) => {
      if (recipientIds.length > 0) io.to(rooms(recipientIds)).emit('typing:update', { conversationId, employeeId });
    }),
    events.subscribe('notify.changed', ({ employeeId, settings }) => {
      io.to(employeeRoom(employeeId)).emit('notify:settings', settings);
    }),
    events.subscribe('notification.created', ({ employeeId, notification }) => {
      io.to(employeeRoom(employeeId)).emit('notification:new', notification);
    }),
    events.subscribe('sms.changed', ({ senderId, messageId, conversationId, dispatch }) => {
      io.to(employeeRoom(senderId)).emit('sms:update', { messageId, conversationId, dispatch });
    }),
    events.subscribe('ack.changed', ({ memberIds, update }) => {
      if (memberIds.length > 0) io.to(rooms(memberIds)).emit('ack:update', update);
    }),
    events.subscribe('ack.reminder', ({ employeeId, reminder }) => {
      io.to(employeeRoom(employeeId)).emit('ack:reminder', reminder);
    }),
    events.subscribe('sms.balanceLow', ({ adminIds, warning }) => {
      if (adminIds.length > 0) io.to(adminIds.map(employeeRoom)).emit('sms:balanceLow', warning);
    }),
    events.subscribe('bulk.progress', ({ senderId, progress }) => {
      io.to(employeeRoom(senderId)).emit('bulk:progress', progress);
    }),
    // One emit per person, to their watchers only: a mass reconnect costs each tab the entries of the people it
    // shows, not everyone's (one broadcast of the whole batch was O(n²) bytes).
    events.subscribe('presence.changed', ({ entries }) => {
      for (const entry of entries) io.to(presenceRoom(entry.employeeId)).emit('presence:update', { entries: [entry] });
    }),
    events.subscribe('session.ended', ({ tokenHash, reason }) => {
      io.to(sessionRoom(tokenHash)).emit('session:ended', { reason });
      io.in(sessionRoom(tokenHash)).disconnectSockets(true);
    }),
    events.subscribe('employee.signedOut', ({ employeeId, reason, exceptTokenHash }) => {
      const except = exceptTokenHash === undefined ? [] : [sessionRoom(exceptTokenHash)];
      io.to(employeeRoom(employeeId)).except(except).emit('session:ended', { reason });
      io.in(employeeRoom(employeeId)).except(except).disconnectSockets(true);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
