/**
 * PresencePeers over the Socket.IO adapter (Redis or MongoDB): a question goes to every other process with
 * serverSideEmit and its answers come back as the acknowledgement's responses. The presence service exists
 * before the Socket.IO server does, so the server is bound later; until then there is nobody to ask.
 */
import type { PresenceEntry } from '../../../../shared/protocol.js';
import type { PresenceAnswers, PresencePeers } from '../../ports/presence-peers.js';
import type { DepeszaServer } from './types.js';

const STATES = new Set(['online', 'away', 'offline']);

/** Entries from another process, kept only when well formed (a peer of another version may differ). */
function entriesOf(value: unknown): PresenceEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is PresenceEntry => !!e && typeof e === 'object' && typeof (e as PresenceEntry).employeeId === 'string' && STATES.has((e as PresenceEntry).state),
  );
}

export function createSocketPresencePeers(): PresencePeers & { bind(io: DepeszaServer): void } {
  let io: DepeszaServer | null = null;
  let answers: PresenceAnswers | null = null;

  function listen(server: DepeszaServer, served: PresenceAnswers): void {
    server.on('presence:ask', (employeeIds, answer) => {
      const ids = Array.isArray(employeeIds) ? employeeIds.filter((id): id is string => typeof id === 'string') : null;
      answer(served.answer(ids));
    });
    server.on('presence:told', (entries) => served.told(entriesOf(entries)));
  }

  return {
    bind(server) {
      io = server;
      if (answers) listen(server, answers);
    },
    serve(served) {
      answers = served;
      if (io) listen(io, served);
    },
    ask(employeeIds) {
      const server = io;
      if (!server) return Promise.resolve([]);
      return new Promise((resolve) => {
        // On a timeout the adapter still hands over the answers that came: a silent process has no devices to add.
        server.serverSideEmit('presence:ask', employeeIds, (_error: Error | null, responses: unknown[]) => {
          resolve((responses ?? []).flatMap(entriesOf));
        });
      });
    },
    tell(entries) {
      io?.serverSideEmit('presence:told', entries);
    },
  };
}
