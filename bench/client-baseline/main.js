// The baseline of scenario 6: the smallest useful Svelte 5 page, built by Vite in the same run as Depesza's client.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app') });
