/** A signed-in Socket.IO connection from the test process, to seed data or play a colleague without a browser. */
import { expect } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from './stack.js';

export interface ApiSocket {
  socket: Socket;
  idOf(login: string): string;
  ask<T = any>(event: string, payload: unknown): Promise<T>;
  send(conversationId: string, text: string, notifySms?: boolean): Promise<{ id: string; seq: number }>;
  close(): void;
}

export async function apiSocket(url: string, login: string): Promise<ApiSocket> {
  const signedIn = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const people = (await (await fetch(`${url}/api/employees`, { headers: { cookie } })).json()) as Array<{ id: string; login: string }>;
  const socket = connect(url, { transports: ['websocket'], extraHeaders: { cookie, origin: url }, forceNew: true });
  const ask = async (event: string, payload: unknown) => {
    const answer = await socket.timeout(10_000).emitWithAck(event, payload);
    expect(answer.ok, `${event}: ${JSON.stringify(answer)}`).toBe(true);
    return answer.data;
  };
  return {
    socket,
    idOf: (l) => people.find((p) => p.login === l)!.id,
    ask,
    send: (conversationId, text, notifySms = false) =>
      ask('message:send', { conversationId, clientId: randomUUID(), text, ...(notifySms ? { notifySms } : {}) }),
    close: () => socket.disconnect(),
  };
}
