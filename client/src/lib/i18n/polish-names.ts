/**
 * Polish personal names in the genitive ("SMS do Celiny Wiśniewskiej"). Polish declines first names and surnames
 * by gender and ending; a wrong form reads worse than none, so `genitive` returns null whenever the rules below are
 * not sure (foreign endings, more than two words, initials, digits) and the caller switches to wording that needs no
 * declension ("SMS — Celina Wiśniewska: …").
 */

type Gender = 'f' | 'm';

/** Men's names that end in -a and decline like feminine nouns (Kuba → Kuby) but take masculine surnames. */
const MASCULINE_IN_A = new Set(['kuba', 'barnaba', 'bonawentura', 'kosma', 'jarema', 'zawisza', 'juda', 'sasza', 'misza', 'grisza', 'luca', 'nikita', 'ilja', 'dżoszua']);
/** Women's names that do not end in -a: they, and the surname after them, stay as they are. */
const FEMININE_NOT_IN_A = new Set([
  'beatrycze', 'noemi', 'miriam', 'ruth', 'rut', 'nel', 'abigail', 'carmen', 'karmen', 'dolores', 'ingrid', 'inez',
  'margaret', 'rachel', 'agnes', 'astrid', 'sigrid', 'doris', 'elizabeth', 'catherine', 'nicole', 'michelle',
  'isabelle', 'chantal', 'judith', 'esther', 'ester', 'mercedes', 'iris', 'lili', 'loren', 'kim', 'ann', 'jane',
]);

const LETTERS = /^[A-Za-zĄĆĘŁŃÓŚŹŻąćęłńóśźż]+$/;
const SOFT_BEFORE_IA = /(?:s|z|c|n|dz)ia$/; // Kasia, Zuzia, Ania: the "i" only softens → Kasi
const VOWELS = 'aeiouyąęó';

/** The genitive of a full name, or null when unsure. */
export function genitive(fullName: string): string | null {
  const words = fullName.trim().split(/\s+/);
  if (words.length === 0 || words.length > 2 || words[0] === '') return null;
  const [first, surname] = words as [string, string | undefined];
  const gender = genderOf(first);
  if (!gender) return null;
  const firstGen = declineFirst(first, gender);
  if (firstGen === null) return null;
  if (surname === undefined) return firstGen;
  const parts = surname.split('-');
  const declined = parts.map((part) => declineSurname(part, gender));
  if (declined.some((part) => part === null)) return null;
  return `${firstGen} ${declined.join('-')}`;
}

function genderOf(first: string): Gender | null {
  const lower = first.toLowerCase();
  if (!LETTERS.test(first)) return null;
  if (lower.endsWith('a')) return MASCULINE_IN_A.has(lower) ? 'm' : 'f';
  if (FEMININE_NOT_IN_A.has(lower)) return 'f';
  return 'm';
}

function declineFirst(name: string, gender: Gender): string | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('a')) return withCase(name, declineNounInA(lower));
  if (gender === 'f') return name; // Ingrid, Noemi: indeclinable
  return withCase(name, declineMasculine(lower, true));
}

function declineSurname(surname: string, gender: Gender): string | null {
  if (!LETTERS.test(surname)) return null;
  const lower = surname.toLowerCase();
  if (gender === 'f') {
    if (/(?:sk|ck|dzk)a$/.test(lower)) return withCase(surname, `${lower.slice(0, -1)}iej`);
    if (lower.length > 5 && /(?:ow|ew)a$/.test(lower)) return withCase(surname, `${lower.slice(0, -1)}ej`);
    // Other -a surnames may be adjectives (Wesoła → Wesołej) or nouns (Sowa → Sowy): not predictable.
    if (lower.endsWith('a')) return null;
    // A woman's surname ending otherwise (Nowak, Fredro) does not decline.
    return surname;
  }
  if (/(?:sk|ck|dzk)i$/.test(lower)) return withCase(surname, `${lower}ego`);
  if (lower.endsWith('a')) return withCase(surname, declineNounInA(lower));
  if (lower.endsWith('ko')) return withCase(surname, `${lower.slice(0, -1)}i`);
  return withCase(surname, declineMasculine(lower, false));
}

/** Anna → Anny, Kinga → Kingi, Ola → Oli, Maria → Marii, Kasia → Kasi, Alicja → Alicji, Kuba → Kuby. */
function declineNounInA(lower: string): string {
  const stem = lower.slice(0, -1);
  if (SOFT_BEFORE_IA.test(lower)) return stem;
  if (lower.endsWith('ia') || lower.endsWith('ea')) return `${stem}i`;
  if (lower.endsWith('ja')) return VOWELS.includes(lower.at(-3) ?? '') ? lower.slice(0, -2) + 'i' : `${stem}i`;
  if (/[kgl]$/.test(stem)) return `${stem}i`;
  return `${stem}y`;
}

/**
 * Jan → Jana, Bartek → Bartka, Paweł → Pawła, Jerzy → Jerzego, Antoni → Antoniego, Staś → Stasia, Kazio → Kazia.
 * Null for endings whose genitive is not predictable (Hugo, René, Jimmy).
 */
function declineMasculine(lower: string, isFirstName: boolean): string | null {
  const last = lower.at(-1) ?? '';
  if (lower.endsWith('io')) return `${lower.slice(0, -1)}a`;
  if (lower.endsWith('i')) return isFirstName || lower.length > 3 ? `${lower}ego` : null;
  if (/(?:rz|c|r)y$/.test(lower)) return `${lower.slice(0, -1)}ego`;
  if (VOWELS.includes(last) || last === 'e') return null;
  const soft: Record<string, string> = { ń: 'ni', ś: 'si', ć: 'ci', ź: 'zi' };
  if (soft[last]) return `${lower.slice(0, -1)}${soft[last]}a`;
  const softEk = /(ci|si|zi|ni)ek$/.exec(lower);
  if (softEk) return `${lower.slice(0, -4)}${{ ci: 'ć', si: 'ś', zi: 'ź', ni: 'ń' }[softEk[1] as 'ci']}ka`;
  // A fleeting e: Bartek → Bartka, Marek → Marka, Paweł → Pawła (a first name only; surnames keep it except -ek).
  if (lower.length > 3 && lower.endsWith('ek') && !VOWELS.includes(lower.at(-3) ?? '')) return `${lower.slice(0, -2)}ka`;
  if (isFirstName && lower === 'paweł') return 'pawła';
  return `${lower}a`;
}

/** Puts the declined lower-case form back into the original's capitalisation (Celina → Celiny). */
function withCase(original: string, declinedLower: string | null): string | null {
  if (declinedLower === null) return null;
  if (original === original.toUpperCase() && original.length > 1) return null; // ALL CAPS: leave it alone
  const first = original[0] ?? '';
  const capital = first === first.toUpperCase() && first !== first.toLowerCase();
  return capital ? declinedLower.charAt(0).toUpperCase() + declinedLower.slice(1) : declinedLower;
}
