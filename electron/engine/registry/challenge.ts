// `WWW-Authenticate` parsing (RFC 9110 §11.6.1): one or more challenges, each a scheme followed by a
// token68 or by comma-separated `name=value` parameters whose values may be quoted strings with commas,
// equals signs and backslash escapes inside (`scope="repository:a/b:pull,push"`). Registries put the token
// endpoint in a Bearer challenge; a header holding several challenges (or several headers joined by
// fetch with ", ") is split at the commas that start a new scheme, not at those between parameters.

export interface Challenge {
  /** As sent; compare case-insensitively. */
  scheme: string;
  /** Parameter names lower-cased (they are case-insensitive), values unquoted. */
  params: Record<string, string>;
  token68?: string;
}

type Tok = { t: 'word'; v: string } | { t: 'quoted'; v: string } | { t: '=' } | { t: ',' };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { i++; continue; }
    if (c === '=' || c === ',') { out.push({ t: c }); i++; continue; }
    if (c === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i];
        i++;
      }
      i++; // the closing quote (an unterminated string simply runs to the end)
      out.push({ t: 'quoted', v });
      continue;
    }
    // Lenient: anything up to a separator is a word, so an unquoted URL value still parses.
    let j = i;
    while (j < s.length && !' \t\r\n=,"'.includes(s[j] as string)) j++;
    out.push({ t: 'word', v: s.slice(i, j) });
    i = j;
  }
  return out;
}

export function parseWwwAuthenticate(header: string): Challenge[] {
  const toks = tokenize(header);
  const out: Challenge[] = [];
  let p = 0;
  const at = (k: number): Tok | undefined => toks[k];
  // `name = value` starts at k: a word, '=', then a word or quoted string.
  const isParam = (k: number) => at(k)?.t === 'word' && at(k + 1)?.t === '=' && (at(k + 2)?.t === 'word' || at(k + 2)?.t === 'quoted');
  while (p < toks.length) {
    const tok = at(p);
    if (!tok || tok.t !== 'word') { p++; continue; } // stray separators between challenges
    const ch: Challenge = { scheme: tok.v, params: {} };
    out.push(ch);
    p++;
    if (isParam(p)) {
      for (;;) {
        const name = (at(p) as { v: string }).v.toLowerCase();
        ch.params[name] = (at(p + 2) as { v: string }).v;
        p += 3;
        // After a comma, either another parameter of this challenge or the next challenge's scheme.
        let q = p;
        while (at(q)?.t === ',') q++;
        if (q === p || !isParam(q)) break;
        p = q;
      }
    } else if (at(p)?.t === 'word') {
      // token68: a word optionally followed by '=' padding, e.g. `Negotiate YII=`.
      let v = (at(p) as { v: string }).v;
      p++;
      while (at(p)?.t === '=') { v += '='; p++; }
      ch.token68 = v;
    }
  }
  return out;
}
