/** The socket's state as the UI shows it: the banner appears only after a connection was lost, not at start. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

class ConnectionState {
  status = $state<ConnectionStatus>('idle');
  everConnected = $state(false);
  connected = $derived(this.status === 'connected');
  reconnecting = $derived(this.everConnected && this.status === 'disconnected');

  connecting(): void {
    this.status = 'connecting';
  }

  up(): void {
    this.status = 'connected';
    this.everConnected = true;
  }

  down(): void {
    if (this.status !== 'idle') this.status = 'disconnected';
  }

  reset(): void {
    this.status = 'idle';
    this.everConnected = false;
  }
}

export const connection = new ConnectionState();
