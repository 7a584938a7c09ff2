import { render } from 'preact';
import { App } from './app';
import { installRouter } from './lib/router';
import { registerServiceWorker } from './lib/offline';
import './styles.css';

installRouter();
registerServiceWorker();
render(<App />, document.getElementById('app')!);
