import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { restoreSession } from './lib/actions/session.js';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

mount(App, { target });
void restoreSession();
