import { describe, expect, it } from 'vitest';
import { orderMembers } from './members.js';

describe('orderMembers', () => {
  it('sorts by name with Polish letters in their place, me last, whatever the order they came in', () => {
    const members = [
      { employeeId: 'me', name: 'Anna Kowalska' },
      { employeeId: 'e1', name: 'Łukasz Zieliński' },
      { employeeId: 'e2', name: 'Lena Nowak' },
      { employeeId: 'e3', name: 'Ździsław Mazur' },
      { employeeId: 'e4', name: 'Zofia Wiśniewska' },
      { employeeId: 'e5', name: 'Ćwikła Bożena' },
      { employeeId: 'e6', name: 'Celina Wójcik' },
    ];
    const names = (list: typeof members) => orderMembers(list, 'me').map((m) => m.name);
    const expected = ['Celina Wójcik', 'Ćwikła Bożena', 'Lena Nowak', 'Łukasz Zieliński', 'Zofia Wiśniewska', 'Ździsław Mazur', 'Anna Kowalska'];
    expect(names(members)).toEqual(expected);
    expect(names([...members].reverse())).toEqual(expected);
  });
});
