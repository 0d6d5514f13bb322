// Writes an argv array the way a person would type it in a shell (for reading and copying only — the
// engine never runs shell strings): the one home for the Plan page, the Doctor panel and the CLI's doctor
// report. Arguments with anything but safe characters are single-quoted.
const SAFE = /^[\w@%+=:,./-]+$/;

export const quoteArg = (arg: string): string => (arg !== '' && SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
export const formatArgv = (argv: readonly string[]): string => argv.map(quoteArg).join(' ');
