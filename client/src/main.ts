import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { restoreSession } from './lib/actions/session.js';
import { i18n } from './lib/i18n/i18n.svelte.js';
// Imported for its effect: the theme is on <html> before the first paint of the app.
import './lib/state/theme.svelte.js';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

await i18n.ready;
mount(App, { target });
void restoreSession();
