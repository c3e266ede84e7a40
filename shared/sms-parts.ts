/**
 * How many SMS parts a text needs, by the GSM 03.38 rules the operators bill by. Rule 6 of the SMS escalation
 * ("too long for SMS"), the fake SMSAPI and the client's editors all count with this, so they can never disagree.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsPartsCount {
  encoding: SmsEncoding;
  parts: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
}

// GSM 03.38 default alphabet. Ç is the capital: the table has no lower-case ç, so a phone would show it wrongly
// and SMSAPI switches to UCS-2 for it.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

// Each of these is sent as ESC + a character, so it costs two septets; form feed belongs to the same table.
const GSM7_EXTENSION = new Set('^{}\\[]~|€\f');

const GSM7_SINGLE = 160;
const GSM7_PER_PART = 153; // 7 septets go to the concatenation header
const UCS2_SINGLE = 70;
const UCS2_PER_PART = 67;

const POLISH_DIACRITICS: Record<string, string> = {
  ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z',
  Ą: 'A', Ć: 'C', Ę: 'E', Ł: 'L', Ń: 'N', Ó: 'O', Ś: 'S', Ź: 'Z', Ż: 'Z',
};
const POLISH_DIACRITIC_PATTERN = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/g;

/** What SMSAPI's `normalize=1` does to Polish text, so that we count what it will actually send. */
export function stripPolishDiacritics(text: string): string {
  return text.replace(POLISH_DIACRITIC_PATTERN, (letter) => POLISH_DIACRITICS[letter] ?? letter);
}

/** Septets a character costs in GSM-7, or null when it is not in the alphabet (the whole text goes UCS-2). */
function gsm7Cost(char: string): 1 | 2 | null {
  if (GSM7_BASIC.has(char)) return 1;
  if (GSM7_EXTENSION.has(char)) return 2;
  return null;
}

/**
 * Fills parts greedily; a unit group (escape pair, surrogate pair) that does not fit starts the next part,
 * because handsets cannot reassemble a character cut in half.
 */
function countParts(costs: number[], single: number, perPart: number): { parts: number; units: number } {
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  if (units <= single) return { parts: 1, units };
  let parts = 1;
  let fill = 0;
  for (const cost of costs) {
    if (fill + cost > perPart) {
      parts += 1;
      fill = 0;
    }
    fill += cost;
  }
  return { parts, units };
}

export function countSmsParts(text: string, options: { normalize: boolean }): SmsPartsCount {
  const source = options.normalize ? stripPolishDiacritics(text) : text;
  // for..of walks code points, so a surrogate pair stays one group.
  const chars = [...source];

  const gsmCosts: number[] = [];
  let isGsm = true;
  for (const char of chars) {
    const cost = gsm7Cost(char);
    if (cost === null) {
      isGsm = false;
      break;
    }
    gsmCosts.push(cost);
  }
  if (isGsm) return { encoding: 'gsm7', ...countParts(gsmCosts, GSM7_SINGLE, GSM7_PER_PART) };

  const ucsCosts = chars.map((char) => char.length);
  return { encoding: 'ucs2', ...countParts(ucsCosts, UCS2_SINGLE, UCS2_PER_PART) };
}
