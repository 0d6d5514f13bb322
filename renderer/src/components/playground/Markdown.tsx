// A reply rendered as Markdown — to React elements, never through innerHTML, so the strict CSP holds
// and nothing the model writes can run. Raw HTML in a reply is shown as text; images are not fetched
// (the CSP forbids it anyway) but named; links show their address and do not navigate.
import { useRef, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CopyButton } from '../CopyButton.js';

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** remark plugin: HTML the model wrote becomes literal text (react-markdown would otherwise drop it). */
function remarkHtmlAsText() {
  const walk = (node: MdNode): void => {
    for (const child of node.children ?? []) {
      if (child.type === 'html') child.type = 'text';
      else walk(child);
    }
  };
  return (tree: MdNode) => walk(tree);
}

function CodeBlock({ children }: { children?: ReactNode }) {
  const ref = useRef<HTMLPreElement>(null);
  const lang = /language-([\w+#-]+)/.exec(
    (children as { props?: { className?: string } } | undefined)?.props?.className ?? '',
  )?.[1];
  return (
    <div className="pg-code">
      <div className="pg-code-bar">
        <span className="pg-code-lang">{lang ?? 'code'}</span>
        <CopyButton compact text={() => ref.current?.textContent ?? ''} what={lang ? `${lang} code` : 'code'} />
      </div>
      <pre ref={ref} tabIndex={0}>{children}</pre>
    </div>
  );
}

const components: Components = {
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
  a: ({ children, href }) => (
    <span className="pg-link">
      {children}
      {href && String(children) !== href ? <span className="muted"> ({href})</span> : null}
    </span>
  ),
  img: ({ alt, src }) => <span className="pg-image">[image{alt ? `: ${alt}` : ''}{src ? ` — ${src}` : ''}]</span>,
  table: ({ children }) => (
    <div className="pg-table-wrap">
      <table>{children}</table>
    </div>
  ),
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="pg-markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm, remarkHtmlAsText]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
