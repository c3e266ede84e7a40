/**
 * Light or dark: follows the system setting (prefers-color-scheme) unless the profile's Appearance switch picked one,
 * which is remembered in this browser. The resolved theme goes to html[data-theme], which app.css keys its colours on.
 */
const STORAGE_KEY = 'depesza.theme';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

function isChoice(value: unknown): value is ThemeChoice {
  return THEME_CHOICES.includes(value as ThemeChoice);
}

function remembered(): ThemeChoice {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isChoice(saved)) return saved;
  } catch {
    // Storage disabled: follow the system.
  }
  return 'system';
}

class Theme {
  #choice = $state<ThemeChoice>(remembered());
  #systemDark = $state(false);

  constructor() {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = query.matches;
    query.addEventListener('change', (event) => {
      this.#systemDark = event.matches;
      this.#apply();
    });
    this.#apply();
  }

  get choice(): ThemeChoice {
    return this.#choice;
  }

  get resolved(): 'light' | 'dark' {
    if (this.#choice !== 'system') return this.#choice;
    return this.#systemDark ? 'dark' : 'light';
  }

  choose(choice: ThemeChoice): void {
    this.#choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Not remembered, still applied.
    }
    this.#apply();
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.resolved;
  }
}

export const theme = new Theme();
