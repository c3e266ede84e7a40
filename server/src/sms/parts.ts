/** The part count lives in shared/ so the composer counts exactly as the server decides; see shared/sms-parts.ts. */
export * from '../../../shared/sms-parts.js';
