// zod probes for eval (`new Function('')`) the first time it parses, to compile fast parsers; the
// page's CSP (script-src 'self') forbids eval, so every probe is reported as a script-src violation.
// The interpreted parsers are plenty here. Imported first by main.tsx, before any module parses.
import { z } from 'zod';

z.config({ jitless: true });
