/** The current route, following the location hash. Parsing lives in logic/routes.ts. */
import { parseHash, type Route } from './logic/routes.js';

export { href, parseHash, type Route } from './logic/routes.js';

class Router {
  route = $state<Route>(parseHash(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
    });
  }

  /** The conversation on screen, if any. */
  get openConversationId(): string | null {
    return this.route.name === 'chat' ? this.route.conversationId : null;
  }

  go(target: string): void {
    if (location.hash === target) return;
    location.hash = target;
    this.route = parseHash(target);
  }
}

export const router = new Router();
