import { describe, expect, it } from 'vitest';
import { ColleagueCard, ComposerRequests } from './colleague-card.svelte.js';

function opener() {
  return { focused: 0, isConnected: true, focus() { this.focused++; } };
}

describe('ColleagueCard', () => {
  it('shows one person at a time and gives focus back to what opened it', () => {
    const card = new ColleagueCard();
    const first = opener();
    const second = opener();
    card.open('p1', first);
    card.open('p2', second);
    expect(card.personId).toBe('p2');
    card.close();
    expect(card.personId).toBeNull();
    expect([first.focused, second.focused]).toEqual([0, 1]);
    card.close();
    expect(second.focused).toBe(1);
  });

  it('keeps focus where the card sent the reader, and skips an opener no longer on the page', () => {
    const card = new ColleagueCard();
    const name = opener();
    card.open('p1', name);
    card.close(false);
    expect(name.focused).toBe(0);
    name.isConnected = false;
    card.open('p1', name);
    card.close();
    expect(name.focused).toBe(0);
  });
});

describe('ComposerRequests', () => {
  it('hands an SMS request from the card to that conversation\'s composer once', () => {
    const requests = new ComposerRequests();
    requests.askSmsFromCard('c1');
    expect(requests.hasSmsFromCard('c1')).toBe(true);
    expect(requests.takeSmsFromCard('c2')).toBe(false);
    expect(requests.takeSmsFromCard('c1')).toBe(true);
    expect(requests.takeSmsFromCard('c1')).toBe(false);
    requests.askSmsFromCard('c1');
    requests.reset();
    expect(requests.takeSmsFromCard('c1')).toBe(false);
  });
});
