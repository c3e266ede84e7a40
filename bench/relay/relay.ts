/**
 * The baseline: a bare Socket.IO relay with Depesza's room model and nothing else. No authentication, no validation,
 * no persistence. Each client names itself in the handshake (`auth.id`) and joins a room of that id; `message:send`
 * names its recipients (`to`), is answered through an ack and fans out as `message:new` to the recipients' rooms and
 * back to the sender's own room, exactly the emits Depesza makes for a message. perMessageDeflate stays off, as in
 * Depesza. It answers `message:history` with a page of 50 made-up messages shaped like Depesza's, from memory,
 * so the wire round trip of a history page has a baseline too.
 *
 * Started by bench/run.ts as a child process with an IPC channel: it reports its port, and answers `memory`
 * requests (after a full GC when started with --expose-gc) so the bench can read its heap.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { installIpcProbe } from '../server/ipc-probe.js';

interface RelaySend {
  conversationId: string;
  clientId: string;
  text: string;
  to: string[];
}

const httpServer = createServer((_req, res) => {
  res.writeHead(404);
  res.end();
});
const io = new Server(httpServer, { perMessageDeflate: false, serveClient: false, maxHttpBufferSize: 1024 * 1024 });
const seqs = new Map<string, number>();
const HISTORY_TEXT = 'h'.repeat(Number(process.env.RELAY_HISTORY_TEXT_LENGTH ?? 80));

function cannedPage(conversationId: string): unknown[] {
  return Array.from({ length: 50 }, (_, index) => ({
    id: randomUUID(),
    conversationId,
    seq: index + 1,
    senderId: randomUUID(),
    clientId: randomUUID(),
    text: HISTORY_TEXT,
    createdAt: new Date().toISOString(),
    notifySms: false,
  }));
}

io.on('connection', (socket) => {
  const raw = (socket.handshake.auth as { id?: unknown }).id;
  const id = typeof raw === 'string' && raw !== '' ? raw : socket.id;
  void socket.join(id);

  socket.on('message:send', (payload: RelaySend, ack?: (answer: unknown) => void) => {
    const seq = (seqs.get(payload.conversationId) ?? 0) + 1;
    seqs.set(payload.conversationId, seq);
    const message = {
      id: randomUUID(),
      conversationId: payload.conversationId,
      seq,
      senderId: id,
      clientId: payload.clientId,
      text: payload.text,
      createdAt: new Date().toISOString(),
      notifySms: false,
    };
    const others = payload.to.filter((room) => room !== id);
    if (others.length > 0) io.to(others).emit('message:new', message);
    io.to(id).emit('message:new', message);
    ack?.({ ok: true, data: message });
  });

  // A page shaped like Depesza's (50 messages of the same length), from memory: the cost of the wire alone.
  socket.on('message:history', (payload: { conversationId?: string }, ack?: (answer: unknown) => void) => {
    ack?.({ ok: true, data: { messages: cannedPage(String(payload?.conversationId ?? '')), hasMore: true } });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  installIpcProbe({ port });
});

// The bench stops the relay with SIGTERM and waits for it to exit: close the sockets, then exit; clients that do not
// let go within 2 s must not keep the next phase waiting (the two servers never run at once).
const stop = () => {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
