import { render } from 'preact';
import { App } from './app';
import { installRouter } from './lib/router';
import './styles.css';

installRouter();
render(<App />, document.getElementById('app')!);
