/**
 * Summary of a V8 CPU profile (the `.cpuprofile` that `node --cpu-prof` writes): self time per category that
 * answers "where does the server's CPU go", per npm package, and the top functions. Pure (no I/O), unit-tested in
 * bench/cpu-profile.test.ts; bench/scenarios/profile.ts runs the servers under load and feeds it.
 *
 * How V8 attributes time, which decides the categories:
 * - A call into a C++ addon (better-sqlite3's `stmt.run()`, `COMMIT`) or an inlined builtin (`JSON.stringify`)
 *   appears as self time of the JS function that made it. So the SQLite adapter's self time is mostly SQLite
 *   itself, better-sqlite3's `transaction.js` self time is BEGIN/COMMIT, and socket.io-parser's is JSON encoding.
 * - Node's own bindings (`writev`, `readFileUtf8`) appear as native frames (scriptId "0", no url): they are
 *   counted with the nearest caller that has a url (usually node core's net/stream code).
 * - Code made with `new Function` has a scriptId but no url: TypeBox's compiled validators.
 */

export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (the same as process.hrtime() of any process on the machine). */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds between consecutive samples; the first is from startTime. */
  timeDeltas: number[];
}

export const CATEGORIES = [
  'SQLite: adapter statements (run/get incl. SQLite)',
  'SQLite: better-sqlite3 (BEGIN/COMMIT)',
  'socket.io / engine.io / ws (incl. JSON)',
  'validation (TypeBox)',
  'Depesza services/',
  'Depesza transport/',
  'Depesza adapters/ (not SQLite)',
  'Depesza other (domain/, shared/, …)',
  'bench code (relay.ts, IPC probe)',
  'Node core (net, streams, timers)',
  'other npm packages',
  'GC',
  'V8/native unattributed (program)',
  'idle',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** The npm package a url belongs to (the last node_modules segment, scoped names kept), or null. */
export function packageOf(url: string): string | null {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const parts = url.slice(at + '/node_modules/'.length).split('/');
  const first = parts[0] ?? '';
  return first.startsWith('@') ? `${first}/${parts[1] ?? ''}` : first;
}

const SOCKET_PACKAGES = new Set(['socket.io', 'socket.io-adapter', 'socket.io-parser', 'engine.io', 'engine.io-parser', 'ws', '@socket.io/component-emitter', 'base64id']);
const VALIDATION_PACKAGES = new Set(['typebox', '@sinclair/typebox']);

function isNative(frame: CallFrame): boolean {
  return frame.url === '' && frame.scriptId === '0';
}

/** The category of a frame that has a url or is generated code (never a native or a V8 pseudo-frame). */
export function categoryOfFrame(frame: CallFrame, root: string): Category {
  const { url } = frame;
  if (url === '') return 'validation (TypeBox)';
  const pkg = packageOf(url);
  if (pkg !== null) {
    if (pkg === 'better-sqlite3') return 'SQLite: better-sqlite3 (BEGIN/COMMIT)';
    if (SOCKET_PACKAGES.has(pkg)) return 'socket.io / engine.io / ws (incl. JSON)';
    if (VALIDATION_PACKAGES.has(pkg)) return 'validation (TypeBox)';
    return 'other npm packages';
  }
  if (url.startsWith('node:')) return 'Node core (net, streams, timers)';
  const prefix = root.startsWith('file://') ? root : `file://${root}`;
  const rel = url.startsWith(prefix) ? url.slice(prefix.length).replace(/^\/+/, '') : url;
  if (rel.startsWith('server/src/adapters/store/sqlite/')) return 'SQLite: adapter statements (run/get incl. SQLite)';
  if (rel.startsWith('server/src/transport/validate.ts') || rel.startsWith('server/src/transport/http/validation.ts')) return 'validation (TypeBox)';
  if (rel.startsWith('server/src/services/')) return 'Depesza services/';
  if (rel.startsWith('server/src/transport/')) return 'Depesza transport/';
  if (rel.startsWith('server/src/adapters/')) return 'Depesza adapters/ (not SQLite)';
  if (rel.startsWith('server/src/') || rel.startsWith('shared/')) return 'Depesza other (domain/, shared/, …)';
  if (rel.startsWith('bench/')) return 'bench code (relay.ts, IPC probe)';
  return 'other npm packages';
}

export interface FunctionCost {
  name: string;
  /** Url relative to the project root, with the 1-based line. */
  location: string;
  category: Category;
  selfMs: number;
}

export interface ProfileSummary {
  /** The part of the profile summarised, in ms. */
  windowMs: number;
  samples: number;
  /** Sampled time that was not idle, in ms (main thread busy time as the profiler saw it). */
  busyMs: number;
  categoriesMs: Record<Category, number>;
  /** Non-idle self time per npm package (the attributed frame's), ms, largest first. */
  packagesMs: Array<{ name: string; ms: number }>;
  top: FunctionCost[];
}

export interface SummaryOptions {
  /** Absolute path of the project, to name files relative to it. */
  root: string;
  /** Only samples taken in [fromUs, toUs] (monotonic µs) count; the whole profile when omitted. */
  fromUs?: number;
  toUs?: number;
  topN?: number;
}

/**
 * Self time by category, package and function over the samples in the window. A sample's time is the delta to
 * the next sample (V8 stores each sample's delta from the previous one).
 */
export function summarizeProfile(profile: CpuProfile, options: SummaryOptions): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Self time per node in the window.
  const selfUs = new Map<number, number>();
  let samples = 0;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.NEGATIVE_INFINITY;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.timeDeltas.length ? at + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    if (options.fromUs !== undefined && at < options.fromUs) continue;
    if (options.toUs !== undefined && at >= options.toUs) continue;
    const id = profile.samples[i] as number;
    const span = Math.max(0, Math.min(next, options.toUs ?? next) - at);
    selfUs.set(id, (selfUs.get(id) ?? 0) + span);
    samples += 1;
    windowStart = Math.min(windowStart, at);
    windowEnd = Math.max(windowEnd, at + span);
  }

  const categoriesUs = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const packagesUs = new Map<string, number>();
  const functions = new Map<string, FunctionCost>();
  const prefix = options.root.startsWith('file://') ? options.root : `file://${options.root}`;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) throw new Error(`profile sample names node ${id}, which the profile does not have`);
    const { category, frame } = attribute(node, byId, parent, options.root);
    categoriesUs[category] += us;
    const pkg = frame ? packageOf(frame.url) : null;
    if (pkg !== null) packagesUs.set(pkg, (packagesUs.get(pkg) ?? 0) + us);
    const own = node.callFrame;
    const url = own.url.startsWith(prefix) ? own.url.slice(prefix.length).replace(/^\/+/, '') : own.url;
    const location = url === '' ? (isNative(own) ? '(native)' : '(generated)') : `${url}:${own.lineNumber + 1}`;
    const key = `${own.functionName}\u0000${location}`;
    const entry = functions.get(key) ?? { name: own.functionName || '(anonymous)', location, category, selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
  }

  const ms = (us: number) => us / 1000;
  const categoriesMs = Object.fromEntries(CATEGORIES.map((c) => [c, ms(categoriesUs[c])])) as Record<Category, number>;
  const totalMs = CATEGORIES.reduce((t, c) => t + categoriesMs[c], 0);
  return {
    windowMs: samples > 0 ? ms(windowEnd - windowStart) : 0,
    samples,
    busyMs: totalMs - categoriesMs.idle,
    categoriesMs,
    packagesMs: [...packagesUs].map(([name, us]) => ({ name, ms: ms(us) })).sort((a, b) => b.ms - a.ms),
    top: [...functions.values()]
      .filter((f) => f.category !== 'idle')
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, options.topN ?? 15),
  };
}

/** V8's pseudo-frames by name, a native frame by its nearest caller with a url (or generated code). */
function attribute(
  node: ProfileNode,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
  root: string,
): { category: Category; frame: CallFrame | null } {
  const name = node.callFrame.functionName;
  if (isNative(node.callFrame)) {
    if (name === '(idle)') return { category: 'idle', frame: null };
    if (name === '(garbage collector)') return { category: 'GC', frame: null };
    if (name === '(program)' || name === '(root)') return { category: 'V8/native unattributed (program)', frame: null };
    for (let up = parent.get(node.id); up !== undefined; up = parent.get(up)) {
      const caller = byId.get(up);
      if (caller && !isNative(caller.callFrame)) return { category: categoryOfFrame(caller.callFrame, root), frame: caller.callFrame };
    }
    return { category: 'V8/native unattributed (program)', frame: null };
  }
  return { category: categoryOfFrame(node.callFrame, root), frame: node.callFrame };
}
