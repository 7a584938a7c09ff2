import type { Plugin } from 'vite';

// Writes name.gz and name.br beside each text file of the build (precompress.mjs).
export function precompress(): Plugin;
