// The renderer's name for shared/shell-quote.ts (the CLI's doctor report writes commands the same way).
export { formatArgv, quoteArg } from '../../shared/shell-quote.js';
