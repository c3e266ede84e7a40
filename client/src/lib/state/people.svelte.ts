/** Active colleagues (including me) from GET /api/employees, and the people list's search box. */
import type { Colleague } from '../../../../shared/schemas/index.js';
import { session } from './session.svelte.js';

function normalize(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

class PeopleState {
  all = $state.raw<Colleague[]>([]);
  query = $state('');
  loaded = $state(false);

  byId = $derived(new Map(this.all.map((c) => [c.id, c])));
  /** Everyone but me, by name. */
  colleagues = $derived(
    this.all.filter((c) => c.id !== session.me?.id).sort((a, b) => a.name.localeCompare(b.name)),
  );
  filtered = $derived.by(() => {
    const query = normalize(this.query.trim());
    if (!query) return this.colleagues;
    return this.colleagues.filter(
      (c) => normalize(c.name).includes(query) || normalize(c.login).includes(query) || normalize(c.title ?? '').includes(query),
    );
  });

  set(list: Colleague[]): void {
    this.all = list;
    this.loaded = true;
  }

  name(id: string): string | null {
    return this.byId.get(id)?.name ?? null;
  }

  clear(): void {
    this.all = [];
    this.query = '';
    this.loaded = false;
  }
}

export const people = new PeopleState();
