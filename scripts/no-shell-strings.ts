// "No shell strings anywhere" (docs/architecture.md §5; execa docs/escaping.md): every process is started with an
// executable and an argument array, so nothing a user types (a model name, a path, a token) can be read
// as shell syntax. This check parses every source file of the project with the TypeScript compiler and
// reports the ways a command line can still reach a shell:
//   - `shell: <anything but false>` in the options object passed to a call (spawn, execa, execFile, …);
//   - execa's string-command APIs (`execaCommand`, `execaCommandSync`; removed in execa 10, kept here so
//     a downgrade cannot bring them back);
//   - child_process `exec` / `execSync`, which always run `/bin/sh -c <string>`;
//   - a shell started by hand: `sh|bash|zsh|cmd|powershell` with `-c` / `/c` / `-Command`.
// Run: `tsx scripts/no-shell-strings.ts` (part of `npm run test:static`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ShellStringUse {
  file: string;
  line: number;
  rule: 'shell-option' | 'execa-command' | 'child-process-exec' | 'shell-interpreter';
  text: string;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', '.git', 'test-results', 'playwright-report', 'coverage']);
const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);
const EXEC_STRING_FUNCTIONS = new Set(['exec', 'execSync']);
const EXECA_STRING_FUNCTIONS = new Set(['execaCommand', 'execaCommandSync']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh']);
const SHELL_COMMAND_FLAGS = new Set(['-c', '/c', '/C', '-Command', '-command', '-lc', '-ic']);

function scriptKindFor(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const stringValue = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

const propertyName = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;

/** Finds shell-string uses in one file's source text. */
export function findShellStringUses(file: string, source: string): ShellStringUse[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, scriptKindFor(file));
  const found: ShellStringUse[] = [];
  const report = (node: ts.Node, rule: ShellStringUse['rule']) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ file, line: line + 1, rule, text: node.getText(sf).split('\n')[0]!.slice(0, 160) });
  };

  // Local names bound to child_process exec/execSync, and namespaces bound to child_process itself.
  const execNames = new Set<string>();
  const childProcessNamespaces = new Set<string>();
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier)) continue;
    if (!CHILD_PROCESS.has(stmt.moduleSpecifier.text) || !stmt.importClause) continue;
    const { name, namedBindings } = stmt.importClause;
    if (name) childProcessNamespaces.add(name.text);
    if (namedBindings && ts.isNamespaceImport(namedBindings)) childProcessNamespaces.add(namedBindings.name.text);
    if (namedBindings && ts.isNamedImports(namedBindings)) {
      for (const el of namedBindings.elements) {
        if (EXEC_STRING_FUNCTIONS.has((el.propertyName ?? el.name).text)) execNames.add(el.name.text);
      }
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const args = node.arguments ?? ts.factory.createNodeArray();
      // shell option in any object literal handed to a call
      for (const arg of args) {
        if (!ts.isObjectLiteralExpression(arg)) continue;
        for (const prop of arg.properties) {
          if (ts.isPropertyAssignment(prop) && propertyName(prop.name) === 'shell' && prop.initializer.kind !== ts.SyntaxKind.FalseKeyword) report(prop, 'shell-option');
          if (ts.isShorthandPropertyAssignment(prop) && prop.name.text === 'shell') report(prop, 'shell-option');
        }
      }
      if (ts.isIdentifier(callee) && EXECA_STRING_FUNCTIONS.has(callee.text)) report(node, 'execa-command');
      if (ts.isPropertyAccessExpression(callee) && EXECA_STRING_FUNCTIONS.has(callee.name.text)) report(node, 'execa-command');
      if (ts.isIdentifier(callee) && execNames.has(callee.text)) report(node, 'child-process-exec');
      if (ts.isPropertyAccessExpression(callee) && EXEC_STRING_FUNCTIONS.has(callee.name.text)) {
        const target = callee.expression;
        const isNamespace = ts.isIdentifier(target) && childProcessNamespaces.has(target.text);
        const isRequire = ts.isCallExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === 'require' && CHILD_PROCESS.has(stringValue(target.arguments[0]) ?? '');
        if (isNamespace || isRequire) report(node, 'child-process-exec');
      }
      // a shell started by hand with a command string
      const program = stringValue(args[0]);
      const argv = args[1];
      if (program && SHELLS.has(path.basename(program)) && argv && ts.isArrayLiteralExpression(argv) && argv.elements.some((e) => SHELL_COMMAND_FLAGS.has(stringValue(e) ?? ''))) {
        report(node, 'shell-interpreter');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Every source file of the project, skipping dependencies and build output. */
export function listSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path.join(dir, entry.name));
      } else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) {
        files.push(path.join(dir, entry.name));
      }
    }
  };
  walk(root);
  return files.sort();
}

export function scanProject(root: string): { files: number; uses: ShellStringUse[] } {
  const files = listSourceFiles(root);
  const uses = files.flatMap((file) => findShellStringUses(path.relative(root, file), fs.readFileSync(file, 'utf8')));
  return { files: files.length, uses };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { files, uses } = scanProject(root);
  for (const u of uses) console.error(`${u.file}:${u.line}  ${u.rule}  ${u.text}`);
  if (uses.length > 0) {
    console.error(`no-shell-strings: ${uses.length} shell-string use(s) in ${files} files. Pass an executable and an argument array instead (docs/architecture.md §5).`);
    process.exit(1);
  }
  console.log(`no-shell-strings: ${files} source files, no shell strings.`);
}
