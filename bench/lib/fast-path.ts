/**
 * A fast path for the load generator's socket.io-client sockets. socket.io-client still opens, authenticates,
 * pings and closes every connection; but the hot frames skip its layers: `message:new` frames are taken from the
 * websocket as text and handed to the generator before engine.io-client and socket.io-client decode and dispatch
 * them, and `message:send` is written as a ready-made Socket.IO packet (with an ack id of its own, whose answer
 * is matched here too); `presence:update` frames, which no bench client reads, are dropped unread. Every other
 * frame goes down socket.io-client's normal path unchanged. Why: one generator
 * core has to read ~20,000 frames a second in the group scenario; with full decoding the generator, not the server,
 * was the bottleneck (measured on the 2-core bench machine at 2,000 group messages/s: a bare `ws` reader used 53%
 * of a core, socket.io-client 95%). The frames on the wire are exactly what socket.io-client would send and get.
 */
import type { Socket } from 'socket.io-client';

/** An engine.io "message" (4) carrying a Socket.IO event (2) for the default namespace: `message:new`. */
export const MESSAGE_NEW_PREFIX = '42["message:new",';

/** Returns true when it consumed the frame; false sends it down the standard path. */
export type FrameSink = (clientId: string, frame: string) => boolean;

export interface SinkSlot {
  current: FrameSink | null;
}

/** Presence fan-out, which no bench client reads (Depesza sends every connecting client one per colleague online). */
export const PRESENCE_PREFIX = '42["presence:update",';

/** An ack (3) with an id: `43<id>[…]`. */
const ACK_PREFIX = '43';
/** Our ack ids start far above socket.io-client's own (which count from 0), so the two never meet. */
const FIRST_ACK_ID = 1_000_000_000;

export type AckAnswer = { ok: boolean; code?: string };

interface RawWebSocket {
  onmessage: unknown;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
}

interface WebSocketTransport {
  name: string;
  ws: RawWebSocket;
  onData(data: string | Buffer): void;
}

export interface FastPath {
  /** Emits `event` with one JSON payload and an ack, as socket.io-client would encode it. */
  emitWithAck(event: string, payload: unknown, onAck: (answer: AckAnswer) => void): void;
}

/** Reads an ack's `{ ok, error: { code } }` from its text: `true` right after the opening, else the error code. */
export function readAck(body: string): AckAnswer {
  if (body.startsWith('[{"ok":true')) return { ok: true };
  const code = stringField(body, 'code');
  return code === null ? { ok: false } : { ok: false, code };
}

/** Call once the socket is connected (the websocket transport exists then; the bench never upgrades). */
export function installFastPath(socket: Socket, clientId: string, slot: SinkSlot): FastPath {
  const engine = socket.io.engine as unknown as { transport: WebSocketTransport; write(data: string): void };
  const transport = engine.transport;
  const pending = new Map<number, (answer: AckAnswer) => void>();
  let nextAckId = FIRST_ACK_ID;
  if (transport.name !== 'websocket') throw new Error(`fast path needs the websocket transport, got ${transport.name}`);
  const ws = transport.ws;
  // Replaces engine.io-client's `onmessage` (which wraps every frame in a MessageEvent) with a plain listener.
  ws.onmessage = null;
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      transport.onData(data);
      return;
    }
    const frame = data.toString('utf8');
    const sink = slot.current;
    if (sink !== null && frame.startsWith(MESSAGE_NEW_PREFIX) && sink(clientId, frame)) return;
    if (frame.startsWith(PRESENCE_PREFIX)) return;
    if (frame.startsWith(ACK_PREFIX) && pending.size > 0) {
      const open = frame.indexOf('[');
      const id = Number(frame.slice(2, open));
      const onAck = pending.get(id);
      if (onAck) {
        pending.delete(id);
        onAck(readAck(frame.slice(open)));
        return;
      }
    }
    transport.onData(frame);
  });
  return {
    emitWithAck(event, payload, onAck) {
      const id = nextAckId++;
      pending.set(id, onAck);
      // engine.io adds the "4" (message); "2" is a Socket.IO event, followed by its ack id.
      engine.write(`2${id}${JSON.stringify([event, payload])}`);
    },
  };
}

/** The string value of `"field":"…"` in a JSON frame without escapes in that value (ids, the bench's texts). */
export function stringField(frame: string, field: string): string | null {
  const key = `"${field}":"`;
  const start = frame.indexOf(key);
  if (start < 0) return null;
  const from = start + key.length;
  const end = frame.indexOf('"', from);
  return end < 0 ? null : frame.slice(from, end);
}
