/** The time beside a conversation in the list: "14:05" for today, a date for earlier (in the reader's language). */
export function listTime(iso: string, language: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  if (sameDay) return at.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  if (at.getFullYear() === now.getFullYear()) return at.toLocaleDateString(language, { day: 'numeric', month: 'short' });
  return at.toLocaleDateString(language, { day: 'numeric', month: 'numeric', year: 'numeric' });
}
