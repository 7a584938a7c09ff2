// hls.js ships no types for its "light" build (the full build without subtitles, alternate audio
// and DRM, which the player does not use); its API is the full build's.
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
