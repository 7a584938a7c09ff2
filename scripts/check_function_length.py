#!/usr/bin/env python3
"""Fails when a function in server/ is longer than the limit (80 lines by default).

A function's length runs from the line of its signature to the line of its closing brace; lambdas
and local classes count inside the function that holds them. The scanner matches braces after
dropping comments, string and character literals (raw strings included) and preprocessor lines;
a brace opens a function body when the text before it at namespace or class level has a
parameter list and is not a type, a namespace or an initialiser (`= {`). That is a heuristic, not
a parser: it is right for this codebase's style, which is all it needs to be.

Usage: scripts/check_function_length.py [--max N] [--top N] [root]
  --top N   list the N longest functions (no check) instead of failing on the long ones
"""
import argparse
import os
import re
import sys

# Paths (relative to the checkout, a folder ending in '/' or one file) left out of the check.
# Nothing is excluded: split a long function rather than add its file here.
EXCLUDED = []

SOURCE_ENDINGS = ('.cpp', '.h', '.hpp', '.cc')
SCOPE_KEYWORDS = {'namespace', 'class', 'struct', 'union', 'enum'}
ACCESS = re.compile(r'^\s*(public|private|protected)\s*:(?!:)')
INIT_LIST = re.compile(r'\)\s*(noexcept\s*)?:(?!:)')


def strip_code(text):
    """Returns the text with comments, literals and preprocessor lines blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in ' \t':
            out.append(c)
            i += 1
            continue
        if line_start and c == '#':
            # A preprocessor line, with its continuations.
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    out.append(' \n')
                    i += 2
                    continue
                out.append(' ')
                i += 1
            continue
        line_start = False
        if c == '\n':
            out.append(c)
            line_start = True
            i += 1
        elif text.startswith('//', i):
            while i < n and text[i] != '\n':
                out.append(' ')
                i += 1
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:end]))
            i = end
        elif c == '"':
            raw = re.search(r'(?<![\w])(?:u8|u|U|L)?R$', ''.join(out[-4:]))
            if raw and i + 1 < n:
                delim_end = text.find('(', i)
                delim = text[i + 1:delim_end]
                close = text.find(')' + delim + '"', delim_end)
                end = n if close < 0 else close + len(delim) + 2
            else:
                j = i + 1
                while j < n and text[j] != '"' and text[j] != '\n':
                    j += 2 if text[j] == '\\' else 1
                end = min(j + 1, n)
            out.append('""' + re.sub(r'[^\n]', ' ', text[i + 2:end]) if end - i >= 2 else '"')
            i = end
        elif c == "'":
            prev = out[-1] if out else ''
            if prev.isalnum() and i + 1 < n and text[i + 1].isalnum() and prev.isdigit():
                out.append(c)  # a digit separator: 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != "'" and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            end = min(j + 1, n)
            out.append("''" + ' ' * max(0, end - i - 2))
            i = end
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def leading_template(head):
    """Drops a leading `template <...>` from a head."""
    head = head.lstrip()
    if not head.startswith('template'):
        return head
    depth = 0
    for k, ch in enumerate(head):
        if ch == '<':
            depth += 1
        elif ch == '>':
            depth -= 1
            if depth == 0:
                return leading_template(head[k + 1:])
    return head


def classify(head):
    """What a '{' opens given the text before it at its level: 'scope', 'function' or 'other'."""
    stripped = ACCESS.sub('', head)
    body = leading_template(stripped).strip()
    words = re.findall(r'[A-Za-z_]\w*', body)
    if not words and not body:
        return 'other'
    if body.startswith('extern') and '""' in body:
        return 'scope'
    if words and words[0] in SCOPE_KEYWORDS:
        return 'scope'
    if words[:2] and words[0] in ('inline', 'export') and len(words) > 1 and words[1] == 'namespace':
        return 'scope'
    # An initialiser: '=' outside any parentheses before the first '('.
    depth = 0
    for ch in body:
        if ch == '(':
            break
        if ch == '=':
            return 'other'
    if '(' in body and ')' in body:
        return 'function'
    return 'other'


def matching_brace(code, i):
    """The index of the '}' that closes the '{' at `i`, or len(code) when none does."""
    depth = 0
    while i < len(code):
        if code[i] == '{':
            depth += 1
        elif code[i] == '}':
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return i


def functions(path):
    """Yields (start line, end line, signature) for each function defined in the file."""
    with open(path, encoding='utf-8', errors='replace') as f:
        code = strip_code(f.read())
    # stack entries: ('scope'|'other'|'function'|'init', head start offset)
    stack = []
    head_start = 0
    fn_depth = 0  # braces open inside the current function body
    fn_start = None
    i = 0
    line_of = []
    line = 1
    for ch in code:
        line_of.append(line)
        if ch == '\n':
            line += 1
    n = len(code)
    while i < n:
        ch = code[i]
        if fn_start is not None:
            if ch == '{':
                fn_depth += 1
            elif ch == '}':
                fn_depth -= 1
                if fn_depth == 0:
                    start, sig = fn_start
                    yield line_of[start], line_of[i], sig
                    fn_start = None
                    head_start = i + 1
            i += 1
            continue
        if ch == ';':
            head_start = i + 1
        elif ch == '{':
            head = code[head_start:i]
            in_init = INIT_LIST.search(head) is not None
            prev = code[head_start:i].rstrip()[-1:] if code[head_start:i].strip() else ''
            if in_init and (prev.isalnum() or prev in '_>'):
                # A member initialiser in braces (x_{a}): skip to its match, stay in the head.
                i = matching_brace(code, i) + 1
                continue
            kind = classify(head)
            if kind == 'function':
                offset = head_start + len(head) - len(head.lstrip())
                access = ACCESS.match(head.lstrip())
                if access:
                    rest = head.lstrip()[access.end():]
                    offset = i - len(rest) + (len(rest) - len(rest.lstrip()))
                sig = ' '.join(code[offset:i].split())
                fn_start = (offset, sig[:120])
                fn_depth = 1
            elif kind == 'scope':
                stack.append('scope')
                head_start = i + 1
            else:
                # Data or something else at this level: skip to its match as one unit.
                i = matching_brace(code, i)
        elif ch == '}':
            if stack:
                stack.pop()
            head_start = i + 1
        elif ch == ':' and ACCESS.match(code[head_start:i + 1] + ' '):
            head_start = i + 1
        i += 1


def excluded(rel):
    return any(rel == e or (e.endswith('/') and rel.startswith(e)) for e in EXCLUDED)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--max', type=int, default=80)
    parser.add_argument('--top', type=int, default=0)
    parser.add_argument('root', nargs='?', default=os.path.join(os.path.dirname(__file__), '..'))
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    found = []
    for folder, dirs, files in os.walk(os.path.join(root, 'server')):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(SOURCE_ENDINGS):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if excluded(rel):
                continue
            for start, end, sig in functions(path):
                found.append((end - start + 1, rel, start, sig))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    if args.top:
        for length, rel, start, sig in found[:args.top]:
            print(f'{length:4d} {rel}:{start} {sig}')
        return 0
    long = [f for f in found if f[0] > args.max]
    for length, rel, start, sig in long:
        print(f'{rel}:{start}: {length} lines (limit {args.max}): {sig}')
    if long:
        print(f'check_function_length: {len(long)} functions over {args.max} lines '
              f'(make small named functions; excluded for now: {", ".join(EXCLUDED)})', file=sys.stderr)
        return 1
    print(f'check_function_length: {len(found)} functions, none over {args.max} lines')
    return 0


if __name__ == '__main__':
    sys.exit(main())
