import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { categoryOfFrame, packageOf, summarizeProfile, type CpuProfile } from './lib/cpu-profile.js';

// Hand-made: 11 samples from t = 1100 to 1980 µs, profile ends at 2000. A sample lasts until the next one.
//   1100 idle 100 | 1200 sqliteTransaction 200 | 1400 adapter append 300 | 1700 append 50 | 1750 generated Check 70
//   1820 writev (native, under node core) 30 | 1850 native under writev 40 | 1890 GC 20 | 1910 program 60
//   1970 relay.ts 10 | 1980 idle 20
const profile = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/tiny.cpuprofile'), 'utf8')) as CpuProfile;
const root = '/proj';

describe('CPU profile summary', () => {
  it('sums self time per category over the whole profile, natives counted with their nearest caller that has a url', () => {
    const summary = summarizeProfile(profile, { root });
    expect(summary.samples).toBe(11);
    expect(summary.windowMs).toBeCloseTo(0.9);
    expect(summary.categoriesMs).toEqual({
      'SQLite: adapter statements (run/get incl. SQLite)': 0.35,
      'SQLite: better-sqlite3 (BEGIN/COMMIT)': 0.2,
      'socket.io / engine.io / ws (incl. JSON)': 0,
      'validation (TypeBox)': 0.07,
      'Depesza services/': 0,
      'Depesza transport/': 0,
      'Depesza adapters/ (not SQLite)': 0,
      'Depesza other (domain/, shared/, …)': 0,
      'bench code (relay.ts, IPC probe)': 0.01,
      'Node core (net, streams, timers)': 0.07,
      'other npm packages': 0,
      GC: 0.02,
      'V8/native unattributed (program)': 0.06,
      idle: 0.12,
    });
    expect(summary.busyMs).toBeCloseTo(0.78);
    expect(summary.packagesMs).toEqual([{ name: 'better-sqlite3', ms: 0.2 }]);
  });

  it('ranks functions by self time, idle left out, with locations relative to the project', () => {
    const { top } = summarizeProfile(profile, { root, topN: 4 });
    expect(top.map((f) => [f.name, f.location, f.category, f.selfMs])).toEqual([
      ['append', 'server/src/adapters/store/sqlite/messages.ts:10', 'SQLite: adapter statements (run/get incl. SQLite)', 0.35],
      ['sqliteTransaction', 'node_modules/better-sqlite3/lib/methods/transaction.js:10', 'SQLite: better-sqlite3 (BEGIN/COMMIT)', 0.2],
      ['Check', '(generated)', 'validation (TypeBox)', 0.07],
      ['(program)', '(native)', 'V8/native unattributed (program)', 0.06],
    ]);
  });

  it('counts only the samples taken inside the window, and no sample past its end', () => {
    const summary = summarizeProfile(profile, { root, fromUs: 1400, toUs: 1850 });
    expect(summary.samples).toBe(4);
    expect(summary.windowMs).toBeCloseTo(0.45);
    expect(summary.busyMs).toBeCloseTo(0.45);
    expect(summary.categoriesMs['SQLite: adapter statements (run/get incl. SQLite)']).toBeCloseTo(0.35);
    expect(summary.categoriesMs['validation (TypeBox)']).toBeCloseTo(0.07);
    expect(summary.categoriesMs['Node core (net, streams, timers)']).toBeCloseTo(0.03);
    expect(summary.categoriesMs['SQLite: better-sqlite3 (BEGIN/COMMIT)']).toBe(0);
    expect(summary.categoriesMs.idle).toBe(0);
  });

  it('refuses a sample that names a node the profile lacks', () => {
    expect(() => summarizeProfile({ ...profile, samples: [...profile.samples.slice(0, -1), 999] }, { root })).toThrow(/node 999/);
  });

  it('names the npm package of a url, scoped ones whole, and the project folder of its own code', () => {
    expect(packageOf('file:///p/node_modules/@socket.io/component-emitter/lib/esm/index.js')).toBe('@socket.io/component-emitter');
    expect(packageOf('file:///p/node_modules/fastify/node_modules/ws/lib/sender.js')).toBe('ws');
    expect(packageOf('file:///p/server/src/app.ts')).toBeNull();
    const frame = (url: string) => ({ functionName: 'f', scriptId: '7', url, lineNumber: 0, columnNumber: 0 });
    expect(categoryOfFrame(frame('file:///p/node_modules/engine.io/build/socket.js'), '/p')).toBe('socket.io / engine.io / ws (incl. JSON)');
    expect(categoryOfFrame(frame('file:///p/server/src/transport/socket/handlers.ts'), '/p')).toBe('Depesza transport/');
    expect(categoryOfFrame(frame('file:///p/server/src/transport/validate.ts'), '/p')).toBe('validation (TypeBox)');
    expect(categoryOfFrame(frame('file:///p/server/src/adapters/flood/memory.ts'), '/p')).toBe('Depesza adapters/ (not SQLite)');
    expect(categoryOfFrame(frame('file:///p/shared/ids.ts'), '/p')).toBe('Depesza other (domain/, shared/, …)');
    expect(categoryOfFrame(frame('node:net'), '/p')).toBe('Node core (net, streams, timers)');
  });
});
