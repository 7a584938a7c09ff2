// A strict reader of iCalendar files (RFC 5545) for the tests: CRLF line ends, physical lines of at
// most 75 octets, folding undone, components nested and closed, and DTSTART/DTEND with a TZID
// turned into UTC instants through the file's own VTIMEZONE (a fixed offset, as the server writes).
import assert from 'node:assert/strict';

function unfold(text) {
  assert.ok(text.endsWith('\r\n'), 'the file ends with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    assert.ok(!line.includes('\n') && !line.includes('\r'), `a bare line break in ${JSON.stringify(line)}`);
    assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `a line longer than 75 octets: ${line}`);
  }
  const lines = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      assert.ok(lines.length > 0, 'a continuation line first');
      lines[lines.length - 1] += line.slice(1);
    } else lines.push(line);
  }
  return lines;
}

function unescape(value) {
  return value.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));
}

// One content line: name, parameters and value.
function property(line) {
  const colon = line.indexOf(':');
  assert.ok(colon > 0, `no colon in ${line}`);
  const [name, ...params] = line.slice(0, colon).split(';');
  const parameters = {};
  for (const p of params) {
    const [k, v] = p.split('=');
    parameters[k.toUpperCase()] = v;
  }
  return { name: name.toUpperCase(), params: parameters, value: line.slice(colon + 1) };
}

// → { name, props: {NAME: [property]}, children: [component] } of the VCALENDAR.
export function parseCalendar(text) {
  const stack = [{ name: 'ROOT', props: {}, children: [] }];
  for (const line of unfold(text)) {
    const p = property(line);
    if (p.name === 'BEGIN') {
      const c = { name: p.value, props: {}, children: [] };
      stack[stack.length - 1].children.push(c);
      stack.push(c);
    } else if (p.name === 'END') {
      assert.equal(stack.pop().name, p.value, 'components close in order');
    } else {
      const top = stack[stack.length - 1];
      (top.props[p.name] ??= []).push(p);
    }
  }
  assert.equal(stack.length, 1, 'every component is closed');
  const [calendar] = stack[0].children;
  assert.equal(calendar.name, 'VCALENDAR');
  assert.equal(calendar.props.VERSION[0].value, '2.0');
  return calendar;
}

export function text(component, name) {
  const p = component.props[name];
  return p ? unescape(p[0].value) : undefined;
}

// The offset of a VTIMEZONE in minutes (its STANDARD's TZOFFSETTO).
export function zoneOffset(calendar, tzid) {
  const zone = calendar.children.find((c) => c.name === 'VTIMEZONE' && text(c, 'TZID') === tzid);
  assert.ok(zone, `a VTIMEZONE for ${tzid}`);
  const standard = zone.children.find((c) => c.name === 'STANDARD');
  const m = /^([+-])(\d\d)(\d\d)$/.exec(text(standard, 'TZOFFSETTO'));
  assert.ok(m, 'TZOFFSETTO is ±HHMM');
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

// DTSTART or DTEND as milliseconds since the epoch.
export function instant(calendar, event, name) {
  const p = event.props[name]?.[0];
  assert.ok(p, `${name} present`);
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(Z?)$/.exec(p.value);
  assert.ok(m, `${name} is a date-time: ${p.value}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (m[7] === 'Z') return wall;
  assert.ok(p.params.TZID, `${name} has a TZID or is UTC`);
  return wall - zoneOffset(calendar, p.params.TZID) * 60000;
}

export function events(calendar) {
  return calendar.children.filter((c) => c.name === 'VEVENT');
}
