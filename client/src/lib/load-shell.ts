/**
 * The signed-in app (header, sidebar, conversation) is not needed by the sign-in page, so it is its own chunk and
 * the first visit downloads only the sign-in form. The sign-in form starts the download alongside the password check (as
 * with Socket.IO's client), so the first signed-in screen does not wait for it afterwards.
 */
let shell: Promise<typeof import('../components/Shell.svelte')> | null = null;

export function loadShell(): Promise<typeof import('../components/Shell.svelte')> {
  shell ??= import('../components/Shell.svelte').catch((error: unknown) => {
    shell = null; // "try again" (LazyView) fetches it anew
    throw error;
  });
  return shell;
}
