// xterm.js writes its theme and cell-size rules into <style> elements it creates. Our CSP
// (style-src 'self', no 'unsafe-inline' — docs/architecture.md §5) rightly blocks those: the terminal
// would lose its ANSI colours and row sizes, and every element is reported as a CSP violation in the
// console. Instead of weakening the CSP, xterm is handed a stand-in while it is created and opened: an
// inert <template> whose textContent goes into a constructed stylesheet (CSSOM, which the CSP does not
// govern because no markup is parsed). xterm keeps the element and rewrites its text on a theme change
// or resize, so the sheet follows; remove() drops the sheet. No <style> element is ever created.
export interface AdoptedStyles {
  /** Runs fn with document.createElement('style') answered by the stand-in. */
  run<T>(fn: () => T): T;
  /** Drops every sheet made for this terminal. */
  dispose(): void;
}

type Create = (this: Document, tag: string, options?: ElementCreationOptions) => HTMLElement;

export function adoptInlineStyles(doc: Document): AdoptedStyles {
  const mine = new Set<CSSStyleSheet>();
  const drop = (sheet: CSSStyleSheet): void => {
    mine.delete(sheet);
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
  const standIn = (create: Create): HTMLElement => {
    const el = create.call(doc, 'template');
    const sheet = new CSSStyleSheet();
    mine.add(sheet);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    let text = '';
    Object.defineProperty(el, 'textContent', {
      get: () => text,
      set: (v: unknown) => {
        text = v == null ? '' : String(v);
        sheet.replaceSync(text);
      },
    });
    const remove = el.remove.bind(el);
    el.remove = () => {
      drop(sheet);
      remove();
    };
    return el;
  };
  return {
    run<T>(fn: () => T): T {
      const original = doc.createElement as Create;
      const patched = function (this: Document, tag: string, options?: ElementCreationOptions): HTMLElement {
        return tag.toLowerCase() === 'style' ? standIn(original) : original.call(this, tag, options);
      };
      doc.createElement = patched as Document['createElement'];
      try {
        return fn();
      } finally {
        doc.createElement = original as Document['createElement'];
      }
    },
    dispose() {
      for (const sheet of [...mine]) drop(sheet);
    },
  };
}
