// The Bun peer: Bun's built-in WebSocket pub/sub (uWebSockets underneath), the same shape as
// ws-server.mjs: subscribe, then receive; {"op":"publish"} broadcasts with server.publish, which
// frames the message once for the whole topic. A subscribe is answered with the topic's state:
// STATE_FILE's JSON, the same bytes for every server measured (null without one).
// Usage: bun bun-server.js PORT [STATE_FILE]
import { readFileSync } from 'node:fs';

const port = Number(process.argv[2] ?? 9002);
const state = process.argv[3] ? readFileSync(process.argv[3], 'utf8').trim() : 'null';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port,
  fetch(req, server) {
    if (new URL(req.url).pathname === '/ws' && server.upgrade(req)) return undefined;
    return new Response('not found', { status: 404 });
  },
  websocket: {
    perMessageDeflate: false,
    maxPayloadLength: 64 * 1024,
    idleTimeout: 120,
    message(ws, raw) {
      let msg;
      try {
        msg = JSON.parse(raw);
      } catch {
        ws.send('{"error":{"code":"invalid_json"}}');
        return;
      }
      if (msg.op === 'subscribe' && typeof msg.topic === 'string') {
        ws.subscribe(msg.topic);
        const presence = server.subscriberCount?.(msg.topic) ?? 0;
        ws.send(`{"re":${JSON.stringify(msg.id ?? null)},"ok":true,"data":{"presence":${presence},"state":${state}}}`);
      } else if (msg.op === 'publish' && typeof msg.topic === 'string') {
        server.publish(msg.topic, JSON.stringify({ topic: msg.topic, event: 'bench', data: msg.data }));
        ws.send(JSON.stringify({ re: msg.id, ok: true, data: {} }));
      } else if (msg.op === 'ping') {
        ws.send(JSON.stringify({ re: msg.id, ok: true, data: { now: new Date().toISOString() } }));
      } else {
        ws.send(JSON.stringify({ re: msg.id, error: { code: 'unknown_op' } }));
      }
    },
  },
});

console.log(`bun peer listening on ${server.port}`);
