// Redaction for the support bundle. The Redactor knows the secrets the app itself holds (the HF token);
// a bundle also carries text the app did not write (container logs, events, tool output), so on top of the
// known values every file is scrubbed of anything that LOOKS like a credential, and the replacements are
// counted so the MANIFEST can say what was removed.
import { REDACTED, type Redactor } from '../process/redact.js';

export interface Redacted {
  text: string;
  /** Values replaced with *** (known secrets plus pattern matches). */
  redactions: number;
}

interface Rule {
  /** Group 1 is kept (the key or header name), group 2 is the secret value. */
  re: RegExp;
  /** Values that match the shape but are not secrets (numbers, booleans), so JSON stays valid. */
  keep?: (value: string) => boolean;
}

const NOT_A_SECRET = /^(?:-?\d+(?:\.\d+)?|true|false|null|none|\*+)$/i;

/** Kept in one place so a reviewer sees every shape that is scrubbed. */
const RULES: Rule[] = [
  // PEM private keys (a kubeconfig's key pasted into a log, a TLS secret printed by a tool).
  { re: /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(?=-----END [A-Z ]*PRIVATE KEY-----)/g },
  // Authorization / Proxy-Authorization headers in any of their printed forms (curl -v, JSON, YAML).
  { re: /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?\s*(?:(?:bearer|basic|token)\s+)?)([^\s"',;]+)/gi },
  // A bearer token on its own (`-H "Bearer …"`, `Bearer …` in a client's debug output).
  { re: /(\bbearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi },
  // Hugging Face tokens wherever they appear, even if the app never saw this one.
  { re: /()(\bhf_[A-Za-z0-9]{10,})/g },
  // key: value / key=value where the key names a credential: kubeconfig fields (token, client-key-data,
  // client-certificate-data, password), env assignments (HF_TOKEN=…), JSON ("hfToken": "…"). A bare
  // "secret" is not in the list: "step hf-secret: done" and "secret: llm-d-hf-token" name secrets, not values.
  {
    re: /([A-Za-z0-9_-]*(?:token|password|passwd|client[_-]?secret|secret[_-]?key|api[_-]?key|client-key-data|client-certificate-data)["']?\s*[:=]\s*["']?)([^\s"',{}[\]]+)/gi,
    keep: (v) => NOT_A_SECRET.test(v),
  },
  // Command-line flags given as two words (`--token abc`, `--password abc`).
  { re: /(--(?:token|password|api-key)\s+)([^\s-]\S*)/gi },
];

/** Replaces every match of one rule, counting only values that were not already redacted. */
function applyRule(text: string, rule: Rule): Redacted {
  let redactions = 0;
  const out = text.replace(rule.re, (match: string, keep: string, value: string | undefined) => {
    // The PEM rule has no value group: the whole body after the header is the secret.
    const secret = typeof value === 'string' ? value : match.slice(keep.length);
    if (secret === REDACTED || secret.trim() === '' || secret.trim() === REDACTED || rule.keep?.(secret)) return match;
    redactions += 1;
    return typeof value === 'string' ? `${keep}${REDACTED}` : `${keep}\n${REDACTED}\n`;
  });
  return { text: out, redactions };
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

/** The known secrets first (exact values), then the patterns for everything the app did not know. */
export function redactText(redactor: Redactor, text: string): Redacted {
  const before = occurrences(text, REDACTED);
  let out = redactor.redact(text);
  // The Redactor does not count; each known value became one *** more than the text had.
  let redactions = Math.max(0, occurrences(out, REDACTED) - before);
  for (const rule of RULES) {
    const r = applyRule(out, rule);
    out = r.text;
    redactions += r.redactions;
  }
  return { text: out, redactions };
}

/** Environment variable names whose values are secrets even when they look like nothing in particular. */
export const SECRET_ENV_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL|PRIVATE_?KEY/i;
