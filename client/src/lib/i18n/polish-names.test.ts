import { describe, expect, it } from 'vitest';
import { genitive } from './polish-names.js';

describe('genitive of Polish names', () => {
  it.each([
    // The demo directory (server/src/services/demo-directory.ts).
    ['Anna Kowalska', 'Anny Kowalskiej'],
    ['Bartek Nowak', 'Bartka Nowaka'],
    ['Celina Wiśniewska', 'Celiny Wiśniewskiej'],
    ['Darek Zieliński', 'Darka Zielińskiego'],
    ['Ewa Lewandowska', 'Ewy Lewandowskiej'],
    ['Filip Wójcik', 'Filipa Wójcika'],
    ['Filip Kamiński', 'Filipa Kamińskiego'],
    ['Jan Kowalski', 'Jana Kowalskiego'],
    ['Kinga', 'Kingi'],
    ['Piotr Nowicki', 'Piotra Nowickiego'],
    ['Marek Zawadzki', 'Marka Zawadzkiego'],
    ['Agnieszka Nowicka', 'Agnieszki Nowickiej'],
    ['Zofia Zawadzka', 'Zofii Zawadzkiej'],
    ['Kuba Nowak', 'Kuby Nowaka'],
    ['Kasia Dudek', 'Kasi Dudek'],
    ['Maja Wójcik', 'Mai Wójcik'],
    ['Alicja Kowalczyk', 'Alicji Kowalczyk'],
    ['Ola', 'Oli'],
    ['Maciek Dudek', 'Maćka Dudka'],
    ['Grzesiek', 'Grześka'],
    ['Paweł Koń', 'Pawła Konia'],
    ['Jerzy Sobota', 'Jerzego Soboty'],
    ['Antoni Matejko', 'Antoniego Matejki'],
    ['Łukasz Ostry', 'Łukasza Ostrego'],
    ['Anna Nowak-Kowalska', 'Anny Nowak-Kowalskiej'],
    ['Jan Nowak-Jeziorański', 'Jana Nowaka-Jeziorańskiego'],
    ['Ingrid Bergman', 'Ingrid Bergman'],
    ['Patryk', 'Patryka'],
    ['  Ewa   Lewandowska ', 'Ewy Lewandowskiej'],
  ])('%s → %s', (name, expected) => {
    expect(genitive(name)).toBe(expected);
  });

  it.each([
    'René Goscinny', // foreign ending
    'Hugo',
    'Jimmy Page',
    'Anna Maria Nowak', // three words
    'J. Kowalski', // initial
    'Zoë Müller', // letters outside Polish
    'JAN KOWALSKI', // all caps
    'Ewa Sowa', // noun or adjective: unsure
    'Anna Wesoła',
    'Team 2',
    '',
  ])('is unsure about %j', (name) => {
    expect(genitive(name)).toBeNull();
  });
});
