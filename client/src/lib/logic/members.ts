/** A group's members in a stable order: alphabetical by name (Polish collation: Ł after L, Ś after S), me last. */
export function orderMembers<T extends { employeeId: string; name: string }>(members: readonly T[], myId: string, language = 'pl'): T[] {
  const collator = new Intl.Collator(language, { sensitivity: 'base' });
  return [...members].sort((a, b) => {
    if (a.employeeId === myId || b.employeeId === myId) return a.employeeId === myId ? 1 : b.employeeId === myId ? -1 : 0;
    return collator.compare(a.name, b.name) || a.employeeId.localeCompare(b.employeeId);
  });
}
