/** The SMS gateway account (SMSAPI's `/profile`): read for admins and the low-balance warning, never on the send path. */
export interface SmsAccountBalance {
  points: number;
  /** 'prepaid' or 'postpaid' as SMSAPI says; null when it did not. */
  paymentType: string | null;
}

export interface SmsAccount {
  /** Null when the gateway could not be asked or its answer could not be read (the reason stays in the adapter). */
  balance(): Promise<SmsAccountBalance | null>;
}
