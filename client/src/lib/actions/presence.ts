/** My own presence (managers/own-activity), wired to the real socket, window and document for the signed-in tab. */
import { OwnActivity } from '../managers/own-activity.js';
import { appSocket } from '../socket.js';
import { presence } from '../state/presence.svelte.js';

const activity = new OwnActivity(appSocket, presence, window, document);

export const sendPresenceNow = (): void => activity.sendNow();
export const startActivityTracking = (): void => activity.start();
export const stopActivityTracking = (): void => activity.stop();
