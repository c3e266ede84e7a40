/**
 * Short-lived messages: toasts for new notifications (role="status") and errors from background work
 * (role="alert"). Errors are reported here from one place, the actions' `reportError`.
 */
export interface Toast {
  id: number;
  text: string;
  href: string | null;
  tone: 'info' | 'error';
}

export const TOAST_MS = 8_000;

class NoticesState {
  toasts = $state.raw<Toast[]>([]);
  #nextId = 1;

  show(text: string, tone: Toast['tone'] = 'info', href: string | null = null, durationMs = TOAST_MS): void {
    const toast: Toast = { id: this.#nextId++, text, href, tone };
    this.toasts = [...this.toasts.slice(-4), toast];
    setTimeout(() => this.dismiss(toast.id), durationMs);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  clear(): void {
    this.toasts = [];
  }
}

export const notices = new NoticesState();
