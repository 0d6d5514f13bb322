// xterm.js writes its theme and cell-size rules into <style> elements it creates. Our CSP
// (style-src 'self', no 'unsafe-inline' — DESIGN.md §5) rightly blocks those, which would leave the
// terminal without ANSI colours and with broken rows. Instead of weakening the CSP, this copies each
// such element's text into a constructed stylesheet (CSSOM, which the CSP does not govern because no
// markup is parsed) and keeps it in sync as xterm rewrites it (theme change, resize).
export function adoptInlineStyles(root: HTMLElement, doc: Document = root.ownerDocument): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = (): void => {
    const present = new Set(root.querySelectorAll('style'));
    for (const el of present) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(el.textContent ?? '');
    }
    for (const [el, sheet] of sheets) {
      if (present.has(el)) continue;
      sheets.delete(el);
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const mine = new Set(sheets.values());
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !mine.has(s));
    sheets.clear();
  };
}
